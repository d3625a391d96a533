/**
 * The sync engine between Efficy Enterprise and APSIS One; start at
 * {@link io.crmsync.sync.SyncEngine}. {@code io.crmsync.sync.internal} and its sub-packages are not
 * exported. A JDBC driver (H2 or PostgreSQL) is the host's to add.
 */
module io.crmsync.sync {
    requires transitive io.crmsync.efficy;
    requires transitive io.crmsync.apsis;
    requires transitive java.sql;
    requires org.slf4j;
    requires static org.immutables.value;

    exports io.crmsync.sync;
    exports io.crmsync.sync.consent;
    exports io.crmsync.sync.mapping;
    exports io.crmsync.sync.reverse;
    exports io.crmsync.sync.state;
    exports io.crmsync.sync.state.jdbc;

    opens io.crmsync.sync.state.jdbc to
            com.fasterxml.jackson.databind;
}
