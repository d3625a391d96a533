package io.crmsync.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * The rule both clients apply to their base URI: {@code https}, or plain {@code http} only to a
 * loopback host (tests, emulators) unless the caller allows it explicitly. Credentials and personal
 * data must not cross a network in clear text by accident.
 */
public final class BaseUris {

    private BaseUris() {}

    /**
     * Checks a base URI.
     *
     * @param uri the absolute base URI
     * @param allowInsecureHttp whether plain http to any host is allowed
     * @throws IllegalStateException naming the host, for plain http to a non-loopback host
     */
    public static void requireSafe(URI uri, boolean allowInsecureHttp) {
        if ("http".equalsIgnoreCase(uri.getScheme()) && !allowInsecureHttp && !isLoopback(uri.getHost())) {
            throw new IllegalStateException("refusing plain http to non-loopback host " + uri.getHost()
                    + "; use https or allowInsecureHttp(true)");
        }
    }

    /**
     * Checks that a base URI is absolute and http or https.
     *
     * @throws IllegalArgumentException naming the URI otherwise
     */
    public static URI requireHttp(URI uri) {
        Objects.requireNonNull(uri, "baseUri");
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUri must be absolute, was " + uri);
        }
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new IllegalArgumentException("baseUri must be http or https, was " + scheme + "://");
        }
        return uri;
    }

    /**
     * Whether a host is loopback: {@code localhost} or a loopback address literal. Other names are
     * not resolved just to decide (a name is not loopback).
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
