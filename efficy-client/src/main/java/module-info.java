/**
 * The typed client for the Efficy Enterprise JSON-RPC API; start at
 * {@link io.crmsync.efficy.EfficyClient}. {@code io.crmsync.efficy.internal} is not exported.
 */
module io.crmsync.efficy {
    requires transitive io.crmsync.client;
    requires transitive com.fasterxml.jackson.databind;
    requires transitive java.net.http;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires org.slf4j;
    requires static org.immutables.value;

    exports io.crmsync.efficy;
    exports io.crmsync.efficy.activity;
    exports io.crmsync.efficy.contact;
    exports io.crmsync.efficy.error;
    exports io.crmsync.efficy.rpc;
    exports io.crmsync.efficy.user;
    exports io.crmsync.efficy.webhook;
}
