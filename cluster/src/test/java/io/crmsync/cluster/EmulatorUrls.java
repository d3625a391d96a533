package io.crmsync.cluster;

import java.util.List;

/** The tenant URL policy of a node whose tenants talk to the emulators: plain http to loopback. */
final class EmulatorUrls {

    static final TenantUrls LOOPBACK = TenantUrls.of(List.of("127.0.0.1", "localhost"), true);

    private EmulatorUrls() {}
}
