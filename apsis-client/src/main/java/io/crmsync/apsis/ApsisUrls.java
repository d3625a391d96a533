package io.crmsync.apsis;

import io.crmsync.apsis.error.ApsisTransportException;
import io.crmsync.client.BaseUris;
import java.net.URI;

/**
 * The check for the file URLs APSIS hands out (an import's upload URL, an export's download URL):
 * the same rule as the base URI, https or plain http only to loopback unless allowed, so that
 * neither a file of personal data nor the download credential crosses a network in clear text
 * because an answer said so. Errors name the field and the host, never the URL (its query is a
 * signature). Package-private.
 */
final class ApsisUrls {

    private ApsisUrls() {}

    static URI fileUrl(String url, String field, boolean allowInsecureHttp, ApsisRequest answered) {
        URI uri;
        try {
            uri = BaseUris.requireHttp(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new ApsisTransportException(
                    "APSIS answered a " + field + " that is not an absolute http(s) URL",
                    answered.method,
                    answered.logPath,
                    "-",
                    false,
                    null);
        }
        try {
            BaseUris.requireSafe(uri, allowInsecureHttp);
        } catch (IllegalStateException e) {
            throw new ApsisTransportException(
                    "APSIS answered a plain-http " + field + " on host " + uri.getHost()
                            + "; refusing it (https, or allowInsecureHttp(true))",
                    answered.method,
                    answered.logPath,
                    "-",
                    false,
                    null);
        }
        return uri;
    }
}
