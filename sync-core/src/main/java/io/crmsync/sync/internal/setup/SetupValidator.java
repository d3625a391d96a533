package io.crmsync.sync.internal.setup;

import io.crmsync.apsis.definition.AttributeDefinition;
import io.crmsync.apsis.error.ApsisAuthenticationException;
import io.crmsync.apsis.error.ApsisException;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPageRequest;
import io.crmsync.efficy.error.EfficyAuthenticationException;
import io.crmsync.efficy.error.EfficyException;
import io.crmsync.efficy.user.EfficyIdentity;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.Job;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.SetupReport;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.internal.Policies;
import io.crmsync.sync.internal.ProfileTarget;
import io.crmsync.sync.internal.ReverseSettings;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.reverse.ResponseAction;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks both accounts against the engine's configuration and collects every problem. Internal;
 * {@code SyncEngine.validateSetup} is the entry point.
 */
public final class SetupValidator {

    private static final Set<Job> FORWARD =
            EnumSet.of(Job.SYNC_CONTACT, Job.WEBHOOK, Job.POLL, Job.FULL_SYNC, Job.SYNC_QUERIES);

    private final Services services;
    private final ProfileTarget target;
    private final Policies policies;
    private final ReverseSettings reverse;
    private final MappingProvider mapping;
    private final ConsentPolicy consentPolicy;
    private final List<QueryTagMapping> queries;
    private final List<String> fields;
    private final ResponseMapping responseMapping;
    private final TaskWebhookConfig taskWebhook;

    public SetupValidator(
            Services services, ProfileTarget target, Policies policies, ReverseSettings reverse, List<String> fields) {
        this.services = services;
        this.target = target;
        this.policies = policies;
        this.reverse = reverse;
        this.mapping = policies.mapping();
        this.consentPolicy = policies.consentPolicy();
        this.queries = policies.queries();
        this.fields = fields;
        this.responseMapping = reverse.responseMapping();
        this.taskWebhook = reverse.taskWebhook();
    }

    /**
     * Checks what {@code jobs} use and returns every problem found: the credentials and the Efficy
     * version always; the contact fields, section, keyspace, attributes, topics and channels for the
     * forward jobs; the tags for {@link Job#SYNC_QUERIES}; the Acti and contact fields reverse sync
     * writes for {@link Job#REVERSE_SYNC}; the task's source-id field for {@link Job#TASK_WEBHOOK}.
     */
    public SetupReport validate(Set<Job> jobs) {
        boolean forward = jobs.stream().anyMatch(FORWARD::contains);
        List<String> problems = new ArrayList<>();
        String user = "";
        String version = "";
        try {
            EfficyIdentity me = services.efficy().whoAmI();
            user = me.userCode();
            version = me.version().orElse("");
            if (me.majorVersion().isEmpty()) {
                problems.add(
                        "Efficy: the server version could not be read from systemsettings; crmsync is made for Enterprise 11 and 12");
            } else if (me.majorVersion().get() < 11) {
                problems.add("Efficy: version " + version + " is older than Enterprise 11, which crmsync needs");
            }
            if (forward) {
                problems.addAll(missingEfficyFields());
            }
            problems.addAll(missingResponseFields(jobs));
        } catch (EfficyAuthenticationException e) {
            problems.add(SetupReport.EFFICY_CREDENTIALS_REFUSED + " (" + e.getMessage() + ")");
        } catch (EfficyException e) {
            problems.add("Efficy: " + e.getMessage());
        }
        try {
            if (!forward) {
                services.apsis().definitions().keyspaces(); // the credentials, at least
                return new SetupReport(problems, user, version);
            }
            if (services.apsis().definitions().sections().stream()
                    .noneMatch(s -> s.discriminator().equals(target.section()))) {
                problems.add("APSIS: section " + target.section() + " does not exist");
            } else {
                Set<String> attributes = new HashSet<>();
                services.apsis().definitions().attributes(target.section()).stream()
                        .filter(a -> a.activeVersionId().isPresent())
                        .map(AttributeDefinition::discriminator)
                        .forEach(attributes::add);
                for (FieldMapping m : mapping.mappings()) {
                    if (!attributes.contains(m.attribute())) {
                        problems.add("APSIS: attribute " + m.attribute() + " (mapped from Efficy " + m.field()
                                + ") does not exist in section " + target.section());
                    }
                }
                Set<String> topics = new HashSet<>();
                services.apsis().definitions().topics(target.section()).forEach(t -> topics.add(t.discriminator()));
                Set<String> channels = new HashSet<>();
                services.apsis().definitions().channels().forEach(c -> channels.add(c.discriminator()));
                for (ConsentMapping c : consentPolicy.mappings()) {
                    if (!topics.contains(c.topic())) {
                        problems.add("APSIS: topic " + c.topic() + " does not exist in section " + target.section());
                    }
                    if (!channels.contains(c.channel())) {
                        problems.add("APSIS: channel " + c.channel() + " does not exist");
                    }
                }
                Set<String> tags = new HashSet<>();
                services.apsis().definitions().tags(target.section()).forEach(t -> tags.add(t.discriminator()));
                for (QueryTagMapping q : jobs.contains(Job.SYNC_QUERIES) ? queries : List.<QueryTagMapping>of()) {
                    if (!tags.contains(q.tag())) {
                        problems.add("APSIS: tag " + q.tag() + " (for stored query " + q.queryKey()
                                + ") does not exist in section " + target.section());
                    }
                }
            }
            if (services.apsis().definitions().keyspaces().stream()
                    .noneMatch(k -> k.discriminator().equals(target.keyspace()))) {
                problems.add("APSIS: keyspace " + target.keyspace() + " does not exist");
            }
        } catch (ApsisAuthenticationException e) {
            problems.add(SetupReport.APSIS_CREDENTIALS_REFUSED + " (" + e.getMessage() + ")");
        } catch (ApsisException e) {
            problems.add("APSIS: " + e.getMessage());
        }
        return new SetupReport(problems, user, version);
    }

    /**
     * Every Acti field (source ids, event type) and every Cont field that reverse sync and the task
     * webhook write. A missing one would make Efficy refuse each record, so it is found here, not
     * by quarantining every event of a run.
     */
    private List<String> missingResponseFields(Set<Job> jobs) {
        List<String> missing = new ArrayList<>();
        boolean reverse = jobs.contains(Job.REVERSE_SYNC);
        Map<String, String> actiFields = new TreeMap<>();
        if (reverse) {
            actiFields.put(responseMapping.sourceField(), "source ids of history records");
            if (responseMapping.eventTypeField() != null) {
                actiFields.putIfAbsent(responseMapping.eventTypeField(), "event type of history records");
            }
        }
        if (taskWebhook != null && jobs.contains(Job.TASK_WEBHOOK)) {
            actiFields.putIfAbsent(taskWebhook.sourceField(), "delivery ids of tasks");
        }
        actiFields.forEach((field, purpose) -> {
            try {
                services.efficy().activities().find(field, "crmsync-setup-check");
            } catch (EfficyException e) {
                missing.add(
                        "Efficy: Acti field " + field + " (" + purpose + ") cannot be read (" + e.getMessage() + ")");
            }
        });
        Set<String> contFields = new TreeSet<>();
        if (!reverse) {
            return missing;
        }
        responseMapping
                .actions()
                .values()
                .forEach(actions -> actions.stream()
                        .filter(a -> a.kind() != ResponseAction.Kind.HISTORY)
                        .forEach(a -> contFields.add(a.field())));
        contFields.removeAll(fields); // already checked with the fields the engine reads
        for (String field : contFields) {
            unreadable(field)
                    .ifPresent(why -> missing.add("Efficy: contact field " + field
                            + " (written by reverse sync) cannot be read (" + why + ")"));
        }
        return missing;
    }

    /** Why one contact field cannot be read, or empty when it can. */
    private Optional<String> unreadable(String field) {
        try {
            services.efficy()
                    .contacts()
                    .page(ContactPageRequest.from(ContactCursor.start())
                            .fields(List.of(field))
                            .pageSize(1)
                            .withProfiles(false));
            return Optional.empty();
        } catch (EfficyException e) {
            return Optional.of(e.getMessage());
        }
    }

    private List<String> missingEfficyFields() {
        List<String> missing = new ArrayList<>();
        try {
            services.efficy()
                    .contacts()
                    .page(ContactPageRequest.from(ContactCursor.start())
                            .fields(fields)
                            .pageSize(1)
                            .withProfiles(true));
            return missing;
        } catch (EfficyException e) {
            // Find every missing field, not just the first one the server names.
        }
        for (String field : fields) {
            unreadable(field)
                    .ifPresent(why -> missing.add("Efficy: contact field " + field + " cannot be read (" + why + ")"));
        }
        if (missing.isEmpty()) {
            missing.add(
                    "Efficy: Profile memberships (the Cont-Prof relation) cannot be read; check the contact source's membership table");
        }
        return missing;
    }
}
