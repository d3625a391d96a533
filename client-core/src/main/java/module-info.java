/**
 * What the Efficy and APSIS clients share: retry policy, sleeper, Retry-After, base-URI rule, JSON
 * defaults and the exception root. Jackson is needed only for {@link io.crmsync.client.JsonMappers}.
 */
module io.crmsync.client {
    requires java.net.http;
    requires static com.fasterxml.jackson.databind;
    requires static com.fasterxml.jackson.datatype.jsr310;
    requires static com.fasterxml.jackson.datatype.jdk8;

    exports io.crmsync.client;
}
