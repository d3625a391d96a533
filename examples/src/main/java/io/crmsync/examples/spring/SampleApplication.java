package io.crmsync.examples.spring;

import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;

/**
 * A Spring Boot application that embeds crmsync through the starter: its {@code crmsync.*}
 * properties (see {@code application-sample.properties} in the tests) are all it configures; the
 * engine, clients and store are auto-configured, and {@link ContactSyncService} uses the engine.
 */
@SpringBootApplication
public class SampleApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** The application's own code, using the auto-configured engine. */
    @Service
    public static class ContactSyncService {
        private final SyncEngine engine;

        /** The service over the engine the starter made. */
        public ContactSyncService(SyncEngine engine) {
            this.engine = engine;
        }

        /** Syncs a contact the application knows has changed. */
        public SyncReport contactChanged(long contactKey) {
            return engine.syncContact(contactKey);
        }
    }
}
