package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantUrlsTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A DNS of a few names, so no test resolves a real one. */
    private static final Map<String, String> DNS = Map.of(
            "acme.efficy.cloud", "52.16.1.10",
            "intranet.acme.example", "10.1.2.3",
            "metadata.acme.example", "169.254.169.254",
            "shared.acme.example", "100.64.0.9",
            "v6.acme.example", "fd00::1");

    private static TenantUrls policy(List<String> hosts, boolean http) {
        return TenantUrls.of(hosts, http)
                .withResolver(h -> DNS.containsKey(h)
                        ? new InetAddress[] {ip(DNS.get(h))}
                        : h.matches("[0-9.]+") ? new InetAddress[] {ip(h)} : new InetAddress[0]);
    }

    @Test
    void byDefaultATenantMayNameAnyHttpsHostWithOnlyPublicAddresses() {
        TenantUrls urls = policy(List.of("*"), false);

        assertThatCode(() -> urls.check("acme", "efficy.url", "https://acme.efficy.cloud/crm"))
                .doesNotThrowAnyException();
        for (String host : List.of(
                "127.0.0.1",
                "intranet.acme.example",
                "metadata.acme.example",
                "shared.acme.example",
                "v6.acme.example",
                "0.0.0.0")) {
            assertThatThrownBy(() -> urls.check("acme", "efficy.url", "https://" + host + "/crm"))
                    .as(host)
                    .isInstanceOf(ClusterException.class)
                    .hasMessageContaining("tenant acme: efficy.url names host " + host)
                    .hasMessageContaining("non-public address");
        }
        assertThatThrownBy(() -> urls.check("acme", "apsis.baseUrl", "https://nowhere.example"))
                .hasMessageContaining("does not resolve");
    }

    @Test
    void plainHttpIsRefusedUnlessTheNodeAllowsIt() {
        assertThatThrownBy(
                        () -> policy(List.of("*"), false).check("acme", "efficy.url", "http://acme.efficy.cloud/crm"))
                .hasMessageContaining("efficy.url must be https");
        assertThatThrownBy(() -> policy(List.of("*"), false).check("acme", "efficy.url", "ftp://acme.efficy.cloud"))
                .hasMessageContaining("must be an absolute https URL");
        assertThatCode(() -> policy(List.of("*"), true).check("acme", "efficy.url", "http://acme.efficy.cloud/crm"))
                .doesNotThrowAnyException();
    }

    @Test
    void listedHostsAreAdmittedWhateverTheirAddressAndOthersAreNot() {
        TenantUrls urls = policy(List.of("*.efficy.cloud", "intranet.acme.example"), false);

        assertThatCode(() -> urls.check("acme", "efficy.url", "https://acme.efficy.cloud/crm"))
                .doesNotThrowAnyException();
        assertThatCode(() -> urls.check("acme", "efficy.url", "https://intranet.acme.example/crm"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> urls.check("acme", "apsis.baseUrl", "https://evil-efficy.cloud"))
                .hasMessageContaining("cluster.tenantHosts does not list");
        assertThatThrownBy(() -> urls.check("acme", "apsis.baseUrl", "https://efficy.cloud.evil.example"))
                .hasMessageContaining("cluster.tenantHosts does not list");
    }

    @Test
    void aPatternThatIsNoHostIsRefused() {
        assertThatThrownBy(() -> TenantUrls.parseHosts("*.efficy.cloud, http://x/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not *, *.domain or a host");
        assertThatThrownBy(() -> TenantUrls.parseHosts(" , ")).hasMessageContaining("at least one host pattern");
        assertThat(TenantUrls.parseHosts("*.Efficy.Cloud,api.apsis.one"))
                .containsExactly("*.efficy.cloud", "api.apsis.one");
    }
}
