package io.crmsync.efficy.internal;

import io.crmsync.efficy.contact.QueryParameterStyle;
import io.crmsync.efficy.rpc.RpcFunc;
import java.util.List;
import java.util.Objects;

/**
 * Builds the {@code query} function that runs a stored query (a row of the QUERIES table), with
 * lowercase {@code recordcount} and parameters in either {@link QueryParameterStyle}. Internal.
 */
public final class StoredQueries {

    private StoredQueries() {}

    /**
     * The {@code query} function.
     *
     * @param queryKey K_QUERY, positive
     * @param params parameter values in order; none may contain {@code |} in PIPE style
     * @param recordCount the row limit, 0 for all rows
     * @param style how parameters are sent
     * @throws IllegalArgumentException for a bad key, a negative limit or an unsendable value
     */
    public static RpcFunc func(long queryKey, List<String> params, int recordCount, QueryParameterStyle style) {
        EfficyNames.requireKey("stored query", queryKey);
        Objects.requireNonNull(style, "style");
        if (recordCount < 0) {
            throw new IllegalArgumentException("recordcount must not be negative, was " + recordCount);
        }
        RpcFunc func = RpcFunc.named("query").with("key", queryKey).with("recordcount", recordCount);
        if (params.isEmpty()) {
            return func;
        }
        if (style == QueryParameterStyle.PIPE) {
            for (String p : params) {
                if (p.contains("|")) {
                    throw new IllegalArgumentException(
                            "a stored-query parameter contains '|', which the PIPE style cannot send");
                }
            }
            return func.with("queryparams", String.join("|", params));
        }
        for (int i = 0; i < params.size(); i++) {
            func = func.with("param" + (i + 1), params.get(i));
        }
        return func;
    }
}
