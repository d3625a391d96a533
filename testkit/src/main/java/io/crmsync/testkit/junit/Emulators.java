package io.crmsync.testkit.junit;

import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import java.net.URI;

/**
 * Both emulators of a {@link CrmsyncEmulators} test, with what a client needs to reach them.
 *
 * @param efficy the Efficy emulator (its state: contacts, activities, the request journal)
 * @param apsis the APSIS One emulator (its state: profiles, consents, imports, the journal)
 */
public record Emulators(EfficyEmulator efficy, ApsisEmulator apsis) {

    /** The Efficy base URI a client takes, {@code http://127.0.0.1:<port>/crm}. */
    public URI efficyUri() {
        return URI.create(efficy.baseUri() + "/crm");
    }

    /** The APSIS base URI a client takes. */
    public URI apsisUri() {
        return apsis.baseUri();
    }

    /** The Efficy customer alias the emulator answers to. */
    public String efficyCustomer() {
        return "demo";
    }
}
