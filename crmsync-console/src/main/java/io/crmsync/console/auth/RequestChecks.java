package io.crmsync.console.auth;

import io.crmsync.console.ConsoleRequest;
import java.net.URI;
import java.util.List;

/** What the console reads of a request to tell who sent it: its session cookie, and whether a form came from this site. Internal. */
public final class RequestChecks {

    private RequestChecks() {}

    /** The value of the console's session cookie, or null. */
    public static String sessionCookie(ConsoleRequest r) {
        for (String header : r.headers().getOrDefault("cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(ConsoleSessions.COOKIE + "=")) {
                    return p.substring(ConsoleSessions.COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    /** A browser's POST names its origin; it must be this host (the scheme may differ behind a proxy). */
    public static boolean sameOrigin(ConsoleRequest r) {
        String origin = r.header("origin");
        String fetchSite = r.header("sec-fetch-site");
        if (origin == null || origin.equals("null")) {
            return fetchSite == null || fetchSite.equals("same-origin") || fetchSite.equals("none");
        }
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            String host = r.header("host");
            return host != null && (host.equalsIgnoreCase(authority) || host.equalsIgnoreCase(o.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
