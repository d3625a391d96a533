package io.crmsync.console.web;

import io.crmsync.console.view.ActionResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frame of every page (title, navigation, the last action's result, log out) and the security
 * headers every answer carries. The only style is one inline sheet allowed by its hash; there is
 * no script. Internal.
 */
public final class Layout {

    static final String CSS = "body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}"
            + "header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}"
            + "header a{color:#cfd6e4;text-decoration:none}header a.on{color:#fff;font-weight:600}"
            + "header .host{margin-left:auto;color:#8f9bb3}main{padding:16px 20px}"
            + "table{border-collapse:collapse;background:#fff;margin:8px 0 18px;min-width:60%}"
            + "th,td{border-bottom:1px solid #e3e6ec;padding:5px 10px;text-align:left;vertical-align:top}"
            + "th{background:#eef0f4}.ok{color:#17803d}.bad{color:#b42318;font-weight:600}.warn{color:#b54708}"
            + ".flash{padding:8px 12px;margin:0 0 12px;border-radius:4px}.flash.ok{background:#e7f6ec}"
            + ".flash.bad{background:#fde8e6}form.inline{display:inline;margin:0 4px 0 0}"
            + "fieldset{background:#fff;border:1px solid #e3e6ec;margin:0 0 12px}label{display:block;margin:6px 0}"
            + "input,select{font:inherit;padding:3px 5px;min-width:18em}button{font:inherit;padding:3px 10px}"
            + ".figures{display:flex;gap:12px;flex-wrap:wrap}.figure{background:#fff;border:1px solid #e3e6ec;"
            + "padding:8px 14px}.figure b{display:block;font-size:18px}.steps{display:flex;gap:8px;margin:0 0 12px}"
            + ".steps span{padding:3px 10px;background:#e3e6ec;border-radius:10px}.steps span.on{background:#1d2330;"
            + "color:#fff}pre{background:#fff;padding:8px;border:1px solid #e3e6ec;white-space:pre-wrap}";

    /** The content security policy: nothing but this page's own style sheet and same-origin forms. */
    public static final String CSP = "default-src 'none'; style-src '" + hash(CSS) + "'; img-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Layout() {}

    /** The headers of every console answer. */
    public static Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cache-Control", "no-store");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        return h;
    }

    /**
     * A whole page.
     *
     * @param mount the console's path, e.g. {@code /console}
     * @param tab the page's tab: {@code overview}, {@code quarantine}, {@code runs}, {@code cluster},
     *     {@code setup}, or null for none (the login)
     * @param host the host's name
     * @param csrf the session's CSRF token, or null before login
     * @param cluster whether to offer the cluster tab
     * @param flash the last action's result, or null
     * @param refreshSeconds how often the page reloads itself (0: never)
     * @param body the page's content
     */
    public static String page(
            String mount,
            String tab,
            String host,
            String csrf,
            boolean cluster,
            ActionResult flash,
            int refreshSeconds,
            String body) {
        Html h = new Html();
        h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (refreshSeconds > 0) {
            h.raw("<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + "\">");
        }
        h.raw("<title>crmsync – ")
                .text(tab == null ? "log in" : tab)
                .raw("</title><style>" + CSS + "</style></head><body>");
        h.raw("<header><strong>crmsync</strong>");
        if (csrf != null) {
            tab(h, mount + "/", "overview", tab);
            tab(h, mount + "/quarantine", "quarantine", tab);
            tab(h, mount + "/runs", "runs", tab);
            if (cluster) {
                tab(h, mount + "/cluster", "cluster", tab);
            }
            tab(h, mount + "/setup", "setup", tab);
        }
        h.raw("<span class=\"host\">").text(host).raw("</span>");
        if (csrf != null) {
            h.button(mount + "/logout", csrf, "Log out");
        }
        h.raw("</header><main>");
        if (flash != null) {
            h.raw("<p class=\"flash " + (flash.ok() ? "ok" : "bad") + "\" id=\"flash\">")
                    .text(flash.message())
                    .raw("</p>");
        }
        h.raw(body).raw("</main></body></html>");
        return h.toString();
    }

    private static void tab(Html h, String href, String name, String current) {
        h.raw("<a id=\"tab-" + name + "\" href=\"")
                .text(href)
                .raw("\"" + (name.equals(current) ? " class=\"on\"" : "") + ">")
                .text(name)
                .raw("</a>");
    }

    private static String hash(String css) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
