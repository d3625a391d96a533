package io.crmsync.testkit.audit;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which an emulator received a parameter or body field that the protocol
 * notes do not name (see {@link ProtocolAudit}).
 *
 * <p>Registered for every test class automatically: the testkit jar lists it in
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}, and the build turns on
 * {@code junit.jupiter.extensions.autodetection.enabled}. To use it elsewhere, add
 * {@code @ExtendWith(ProtocolAuditExtension.class)}.
 */
public final class ProtocolAuditExtension implements AfterEachCallback {

    /** Creates the extension (JUnit does this). */
    public ProtocolAuditExtension() {}

    @Override
    public void afterEach(ExtensionContext context) {
        List<ProtocolAudit.UnknownName> unknown = ProtocolAudit.drain();
        if (!unknown.isEmpty()) {
            throw new AssertionError("the emulators received names the protocol notes do not know (a real server"
                    + " would ignore them silently):\n  "
                    + unknown.stream().map(Object::toString).collect(Collectors.joining("\n  ")));
        }
    }
}
