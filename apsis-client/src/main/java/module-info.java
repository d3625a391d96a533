/**
 * The typed client for the APSIS One REST API; start at {@link io.crmsync.apsis.ApsisClient}.
 * {@code io.crmsync.apsis.internal} is not exported. Value packages that Jackson binds are open to
 * it.
 */
module io.crmsync.apsis {
    requires transitive io.crmsync.client;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive java.net.http;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires org.slf4j;
    requires static org.immutables.value;

    exports io.crmsync.apsis;
    exports io.crmsync.apsis.consent;
    exports io.crmsync.apsis.definition;
    exports io.crmsync.apsis.error;
    exports io.crmsync.apsis.export;
    exports io.crmsync.apsis.imports;
    exports io.crmsync.apsis.profile;

    opens io.crmsync.apsis.consent to
            com.fasterxml.jackson.databind;
    opens io.crmsync.apsis.definition to
            com.fasterxml.jackson.databind;
}
