package io.crmsync.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * What an I/O failure of a request means, in words an operator can act on: the host and port it
 * was for, and why (an unknown host, a refused connection, a failed TLS handshake, no connection in
 * time). The JDK's own messages are often empty ({@code ConnectException} with no text).
 */
public final class IoFailures {

    private IoFailures() {}

    /** A description of {@code failure} of a request to {@code target}, e.g. "cannot connect to crm.example.com:443 (connection refused)". */
    public static String describe(URI target, IOException failure) {
        String where = target.getHost() + ":" + port(target);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + target.getHost() + " (the name does not resolve)";
            }
        }
        if (failure instanceof HttpConnectTimeoutException) {
            return "no connection to " + where + " in time (" + text(failure) + ")";
        }
        if (failure instanceof ConnectException) {
            return "cannot connect to " + where + " ("
                    + (failure.getMessage() == null ? "connection refused" : failure.getMessage()) + ")";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "TLS with " + where + " failed: " + text(t);
            }
        }
        return "I/O error with " + where + ": " + text(failure);
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String text(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank()
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
