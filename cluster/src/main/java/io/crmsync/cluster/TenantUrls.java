package io.crmsync.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which servers a tenant's {@code efficy.url} and {@code apsis.baseUrl} may name: the node's
 * defence against a tenant's configuration reaching the node's own network (server-side request
 * forgery). Set by the node's operator, never by a tenant.
 *
 * <ul>
 *   <li>The scheme is https, unless the node allows plain http ({@code cluster.allowInsecureHttp},
 *       default off; for emulators and tests).
 *   <li>Host patterns ({@code cluster.tenantHosts}, default {@value #ANY_PUBLIC}): {@code *} admits
 *       any host whose every address is public, so neither a loopback, private (10/8, 172.16/12,
 *       192.168/16, fc00::/7), shared (100.64/10), link-local (169.254/16, the cloud metadata
 *       service) nor unspecified address; {@code *.efficy.cloud} admits that domain's hosts and
 *       {@code crm.acme.example} or {@code 10.0.0.5} that host, whatever their addresses, since the
 *       operator named them.
 * </ul>
 *
 * The address check is made when a tenant is validated and each time a node builds its engine; a
 * name that resolves elsewhere between that check and a later connection is not caught (list
 * exact hosts where that matters). Thread-safe and immutable.
 *
 * <pre>{@code
 * TenantUrls urls = TenantUrls.of(List.of("*.efficy.cloud", "api.apsis.one"), false);
 * }</pre>
 */
public final class TenantUrls {

    /** The pattern that admits every host with only public addresses; the default. */
    public static final String ANY_PUBLIC = "*";

    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\\[?[0-9a-f:.]+]?");

    private final List<String> hosts;
    private final boolean allowInsecureHttp;
    private final Function<String, InetAddress[]> resolver;

    private TenantUrls(List<String> hosts, boolean allowInsecureHttp, Function<String, InetAddress[]> resolver) {
        this.hosts = List.copyOf(hosts);
        this.allowInsecureHttp = allowInsecureHttp;
        this.resolver = resolver;
    }

    /** Any public host, https only. */
    public static TenantUrls defaults() {
        return of(List.of(ANY_PUBLIC), false);
    }

    /**
     * A policy.
     *
     * @param hosts host patterns: {@code *}, {@code *.domain}, or a host name or address
     * @param allowInsecureHttp whether tenants may use plain http
     * @throws IllegalArgumentException naming the pattern that is none of these
     */
    public static TenantUrls of(List<String> hosts, boolean allowInsecureHttp) {
        return new TenantUrls(checkPatterns(hosts), allowInsecureHttp, TenantUrls::resolve);
    }

    /**
     * Host patterns from a comma-separated list, checked.
     *
     * @throws IllegalArgumentException when one is not a pattern, or there is none
     */
    public static List<String> parseHosts(String commaSeparated) {
        List<String> hosts = new ArrayList<>();
        for (String h : commaSeparated.split(",")) {
            if (!h.isBlank()) {
                hosts.add(h.trim().toLowerCase(Locale.ROOT));
            }
        }
        return checkPatterns(hosts);
    }

    private static List<String> checkPatterns(List<String> hosts) {
        Objects.requireNonNull(hosts, "hosts");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("must name at least one host pattern (* for any public host)");
        }
        for (String h : hosts) {
            if (!h.equals(ANY_PUBLIC) && !HOST.matcher(h).matches()) {
                throw new IllegalArgumentException(
                        "has a pattern that is not *, *.domain or a host (" + h.length() + " characters)");
            }
        }
        return hosts;
    }

    /** The host patterns. */
    public List<String> hosts() {
        return hosts;
    }

    /** Whether tenants may use plain http. */
    public boolean allowInsecureHttp() {
        return allowInsecureHttp;
    }

    /** This policy with another resolver (tests). */
    TenantUrls withResolver(Function<String, InetAddress[]> resolver) {
        return new TenantUrls(hosts, allowInsecureHttp, resolver);
    }

    /**
     * Checks one of a tenant's URLs.
     *
     * @param tenantId for the message
     * @param key the key that holds it
     * @param url its value
     * @throws ClusterException naming the key, the host and why, when the URL is not admitted
     */
    public void check(String tenantId, String key, String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw refused(tenantId, key, "is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw refused(tenantId, key, "must be an absolute https URL");
        }
        if (scheme.equals("http") && !allowInsecureHttp) {
            throw refused(
                    tenantId, key, "must be https (this node does not allow plain http: cluster.allowInsecureHttp)");
        }
        host = host.toLowerCase(Locale.ROOT);
        boolean anyPublic = false;
        for (String pattern : hosts) {
            if (pattern.equals(ANY_PUBLIC)) {
                anyPublic = true;
            } else if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
                return;
            }
        }
        if (!anyPublic) {
            throw refused(tenantId, key, "names host " + host + ", which cluster.tenantHosts does not list");
        }
        InetAddress[] addresses = resolver.apply(host);
        if (addresses == null || addresses.length == 0) {
            throw refused(tenantId, key, "names host " + host + ", which does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                throw refused(
                        tenantId,
                        key,
                        "names host " + host + ", which has a non-public address; list it in cluster.tenantHosts "
                                + "to allow it");
            }
        }
    }

    /** Whether an address is on the public internet (none of loopback, private, shared, link-local…). */
    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress()
                || a.isAnyLocalAddress()
                || a.isLinkLocalAddress()
                || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128);
        }
        return (b[0] & 0xfe) != 0xfc;
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host.replace("[", "").replace("]", ""));
        } catch (UnknownHostException e) {
            return new InetAddress[0];
        }
    }

    private static ClusterException refused(String tenantId, String key, String why) {
        return new ClusterException("tenant " + tenantId + ": " + key + " " + why);
    }

    @Override
    public String toString() {
        return "TenantUrls{hosts=" + hosts + ", allowInsecureHttp=" + allowInsecureHttp + "}";
    }
}
