package io.crmsync.efficy.contact;

/**
 * How parameters of a stored query ({@code query} with {@code key} = K_QUERY) are sent. The
 * protocol notes show both forms and do not say which Enterprise versions accept which.
 */
public enum QueryParameterStyle {
    /**
     * Named properties {@code "param1": v1, "param2": v2}, as Efficy's own n8n nodes send them.
     * The default.
     */
    NAMED,
    /** One property {@code "queryparams": "v1|v2"}, as the efficy-enterprise-api npm client sends. */
    PIPE
}
