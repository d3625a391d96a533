package io.crmsync.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts an Efficy and an APSIS One emulator on free loopback ports for a test class, seeded with
 * {@link #contacts()} Efficy contacts, and injects them ({@code EfficyEmulator},
 * {@code ApsisEmulator}, or both as {@link Emulators}) into test and lifecycle methods and
 * constructors. Both stop after the class. Defaults: 100 contacts, seed 42, APSIS limits as the
 * real service's (see {@code ApsisLimits}), unless {@link #relaxedLimits()}.
 *
 * <pre>{@code
 * @CrmsyncEmulators(contacts = 50)
 * class MySyncIT {
 *   @Test void syncs(Emulators emulators) {
 *     EfficyClient efficy = EfficyClient.builder().baseUri(emulators.efficyUri())
 *         .customer(emulators.efficyCustomer()).apiKey(emulators.efficy().apiKey()).build();
 *     ApsisClient apsis = ApsisClient.builder().baseUri(emulators.apsisUri())
 *         .clientId(emulators.apsis().clientId()).clientSecret(emulators.apsis().clientSecret()).build();
 *     // ... sync, then assert on emulators.apsis().profile(...) and emulators.efficy().contact(...)
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CrmsyncEmulatorsExtension.class)
public @interface CrmsyncEmulators {

    /** Efficy contacts to seed; default 100. */
    int contacts() default 100;

    /** The seed of the generated contacts; default 42. */
    long seed() default 42;

    /**
     * Whether the APSIS emulator runs with relaxed rate limits (for tests that sync many contacts
     * fast) instead of the real service's; default false.
     */
    boolean relaxedLimits() default false;
}
