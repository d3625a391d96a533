package io.crmsync.console.setup;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.definition.AttributeDefinition;
import io.crmsync.apsis.definition.Section;
import io.crmsync.apsis.definition.Topic;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.contact.Contact;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPageRequest;
import io.crmsync.efficy.contact.ContactRead;
import io.crmsync.efficy.user.EfficyIdentity;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.SetupReport;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.state.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The wizard's live checks, each with clients built from the draft and closed after: the
 * credentials and what they see, the lists to pick from, and the dry-run preview (on an in-memory
 * store, so nothing is written anywhere). A failure comes back as a {@link SetupProblem} naming
 * what was wrong. Thread-safe. Internal.
 */
final class LiveServices {

    /** What a successful connection check saw. */
    record Connection(String efficyUser, List<String> sections, List<String> efficyFields) {}

    /** A live check that failed: the message names what was wrong, never a secret. */
    static final class SetupProblem extends RuntimeException {
        SetupProblem(String message) {
            super(message, null, false, false);
        }
    }

    /** Checks both services with the draft's credentials, and lists the sections and the contact fields. */
    Connection connect(Properties all) {
        CrmsyncConfig cfg = config(all);
        try (EfficyClient efficy = cfg.efficy()) {
            EfficyIdentity me = efficy.whoAmI();
            String user = me.fullName() + " (" + me.userCode() + ")";
            List<String> fields = efficyFields(efficy);
            ApsisClient apsis = cfg.apsis();
            List<String> sections = new ArrayList<>();
            for (Section s : apsis.definitions().sections()) {
                sections.add(s.discriminator());
            }
            if (sections.isEmpty()) {
                throw new SetupProblem("APSIS: the account has no section");
            }
            return new Connection(user, sections, fields);
        } catch (SetupProblem e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SetupProblem(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** The section's attributes. */
    List<SetupDraft.Choice> attributes(Properties all, String section) {
        try {
            List<SetupDraft.Choice> out = new ArrayList<>();
            for (AttributeDefinition a : config(all).apsis().definitions().attributes(section)) {
                out.add(new SetupDraft.Choice(a.discriminator(), a.name()));
            }
            return out;
        } catch (RuntimeException e) {
            throw new SetupProblem("APSIS attributes of section " + section + ": " + e.getMessage());
        }
    }

    /** The section's consent topics. */
    List<SetupDraft.Choice> topics(Properties all, String section) {
        try {
            List<SetupDraft.Choice> out = new ArrayList<>();
            for (Topic t : config(all).apsis().definitions().topics(section)) {
                out.add(new SetupDraft.Choice(t.discriminator(), t.name()));
            }
            return out;
        } catch (RuntimeException e) {
            throw new SetupProblem("APSIS topics of section " + section + ": " + e.getMessage());
        }
    }

    /**
     * Validates the whole set-up against both services, then runs a dry-run full sync on an
     * in-memory store: what the first sync would do.
     */
    SyncReport preview(Properties all) {
        CrmsyncConfig cfg = config(all);
        try (EfficyClient efficy = cfg.efficy();
                SyncEngine engine = cfg.engine(efficy, cfg.apsis(), new InMemoryStateStore())) {
            SetupReport report = engine.validateSetup();
            if (!report.isValid()) {
                throw new SetupProblem(String.join("; ", report.problems()));
            }
            return engine.fullSync(FullSyncOptions.defaults().withDryRun(true));
        } catch (SetupProblem e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SetupProblem(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** A configuration of the draft's keys alone, every value checked. */
    static CrmsyncConfig config(Properties all) {
        try {
            CrmsyncConfig cfg = CrmsyncConfig.of(all, name -> null);
            cfg.checkValues();
            return cfg;
        } catch (RuntimeException e) {
            throw new SetupProblem(e.getMessage());
        }
    }

    /** The master fields of the first contact Efficy lists (the live field list), sorted. */
    private static List<String> efficyFields(EfficyClient efficy) {
        List<Contact> first = efficy.contacts()
                .page(ContactPageRequest.from(ContactCursor.start()).pageSize(1).withProfiles(false))
                .contacts();
        if (first.isEmpty()) {
            return List.of();
        }
        Optional<List<String>> fields = efficy.contacts()
                .get(first.get(0).key(), new ContactRead(List.of(), List.of(), false, "K_PROFILE"))
                .map(c -> c.master().fields());
        return fields.map(f -> f.stream().sorted().toList()).orElse(List.of());
    }
}
