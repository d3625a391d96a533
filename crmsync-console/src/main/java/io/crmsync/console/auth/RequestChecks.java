package io.crmsync.console.auth;

import java.net.URI;
import java.util.List;

/** What the console reads of a request to tell who sent it: its session cookie, and whether a form came from this site. Internal. */
public final class RequestChecks {

    private RequestChecks() {}

    /** The value of the console's session cookie, or null. */
    public static String sessionCookie(List<String> cookieHeaders) {
        for (String header : cookieHeaders) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(ConsoleSessions.COOKIE + "=")) {
                    return p.substring(ConsoleSessions.COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    /**
     * A browser's POST names its origin ({@code Origin}, else {@code Sec-Fetch-Site}); it must be
     * this host (the scheme may differ behind a proxy). Each header may be null.
     */
    public static boolean sameOrigin(String origin, String fetchSite, String host) {
        if (origin == null || origin.equals("null")) {
            return fetchSite == null || fetchSite.equals("same-origin") || fetchSite.equals("none");
        }
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && (host.equalsIgnoreCase(authority) || host.equalsIgnoreCase(o.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
