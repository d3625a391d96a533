package io.crmsync.sync.internal.reverse;

import io.crmsync.apsis.export.EmailEvent;
import io.crmsync.apsis.export.EmailEventReader;
import io.crmsync.apsis.export.EmailEventType;
import io.crmsync.efficy.activity.NewActivity;
import io.crmsync.efficy.error.EfficyRpcException;
import io.crmsync.sync.Job;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.internal.Policies;
import io.crmsync.sync.internal.ProfileTarget;
import io.crmsync.sync.internal.ReverseSettings;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.internal.forward.ContactReader;
import io.crmsync.sync.internal.run.JobRunner;
import io.crmsync.sync.internal.run.RunCounters;
import io.crmsync.sync.reverse.ResponseAction;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.state.QuarantinedRecord;
import io.crmsync.sync.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reverse sync: APSIS email events into Efficy, window by window from a cursor, each event at
 * most once. Internal; {@code SyncEngine.reverseSync} is the entry point.
 *
 * <p>Exactly-once on top of an at-least-once export: events are deduped by correlation id (the
 * store's processed ids); history records carry the correlation id as their source id and are
 * looked up before they are created, so a crash between writing and marking creates no twin; the
 * cursor moves only after every event of a window was written or quarantined.
 */
public final class ReverseSync {

    private final Unsubscribes unsubscribes;

    static final String JOB = Job.REVERSE_SYNC.id();
    /** The quarantine kind and processed-id namespace of APSIS email events. */
    public static final String EVENTS = "email-event";
    /** Events handled together: their look-ups, creates and writes share requests. */
    private static final int CHUNK = 1_000;
    /** Runs that retry a parked event on their own; past that, only {@code reverseSync(true)} does. */
    static final int AUTO_RETRIES = 5;

    private static final DateTimeFormatter EFFICY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final Services services;
    private final ProfileTarget target;
    private final Policies policies;
    private final ReverseSettings reverse;
    private final JobRunner jobs;
    private final ContactReader reader;
    private final ResponseMapping mapping;
    private final Duration window;
    private final Duration initialLookback;
    private final String keyAttribute;

    public ReverseSync(
            Services services,
            ProfileTarget target,
            Policies policies,
            ReverseSettings reverse,
            JobRunner jobs,
            ContactReader reader) {
        this.services = services;
        this.target = target;
        this.policies = policies;
        this.reverse = reverse;
        this.jobs = jobs;
        this.reader = reader;
        this.unsubscribes = new Unsubscribes(services, target, policies, reader);
        this.mapping = reverse.responseMapping();
        this.window = reverse.window();
        this.initialLookback = reverse.lookback();
        this.keyAttribute = reverse.exportKeyAttribute();
    }

    /**
     * Runs reverse sync: first the parked events (quarantined ones kept with their payload), then
     * every window from the cursor to now.
     *
     * @param retryAll whether to retry every parked event; otherwise only those that failed fewer
     *     than {@link #AUTO_RETRIES} times, so addresses that match no contact do not cost a look-up
     *     on every run forever
     */
    public SyncReport run(boolean retryAll) {
        return jobs.run(Job.REVERSE_SYNC, false, run -> {
            StateStore store = services.store();
            retryParked(run, retryAll);
            Instant now = services.clock().instant().truncatedTo(ChronoUnit.SECONDS);
            Instant from = store.cursor(JOB).map(Instant::parse).orElse(now.minus(initialLookback));
            while (from.isBefore(now)) {
                Instant to = from.plus(window).isAfter(now) ? now : from.plus(window);
                List<String> attributes = keyAttribute == null ? List.of() : List.of(keyAttribute);
                try (EmailEventReader events = services.apsis().emailEvents().export(from, to, attributes)) {
                    List<EmailEvent> chunk = new ArrayList<>(CHUNK);
                    while (events.hasNext()) {
                        chunk.add(events.next());
                        if (chunk.size() == CHUNK) {
                            handle(chunk, run);
                            chunk.clear();
                        }
                    }
                    handle(chunk, run);
                } catch (IOException e) {
                    throw new UncheckedIOException("the email event export could not be closed", e);
                }
                run.fence.confirm(); // a run that lost its lease writes no checkpoint
                store.saveCursor(JOB, to.toString());
                jobs.progress(run);
                from = to;
            }
        });
    }

    /**
     * Tries the parked events again. They were quarantined in an earlier run whose window the
     * cursor has since passed, so they are read from their payload, not from the export.
     */
    private void retryParked(RunCounters run, boolean retryAll) {
        StateStore store = services.store();
        List<EmailEvent> parked = new ArrayList<>();
        for (QuarantinedRecord q : store.quarantined()) {
            if (!q.kind().equals(EVENTS) || q.payload() == null || (!retryAll && q.attempts() >= AUTO_RETRIES)) {
                continue;
            }
            ParkedEvent.read(q.payload()).ifPresent(parked::add);
        }
        for (int from = 0; from < parked.size(); from += CHUNK) {
            List<EmailEvent> chunk = parked.subList(from, Math.min(parked.size(), from + CHUNK));
            handle(chunk, run);
            for (String id : store.processedAmong(
                    EVENTS, chunk.stream().map(EmailEvent::correlationId).toList())) {
                store.release(EVENTS, id);
            }
        }
    }

    private void handle(List<EmailEvent> chunk, RunCounters run) {
        if (chunk.isEmpty()) {
            return;
        }
        StateStore store = services.store();
        Map<String, EmailEvent> fresh = new LinkedHashMap<>();
        Set<String> processed = store.processedAmong(
                EVENTS, chunk.stream().map(EmailEvent::correlationId).toList());
        for (EmailEvent e : chunk) {
            run.seen.incrementAndGet();
            if (fresh.containsKey(e.correlationId()) || processed.contains(e.correlationId())) {
                run.duplicates.incrementAndGet();
                continue;
            }
            fresh.put(e.correlationId(), e);
        }
        Map<String, Long> contacts = resolve(fresh.values(), run);
        run.fence.check(); // fenced: no Efficy write after the lease is lost or the engine closes

        // History records: look the source ids up in one request, create the missing ones in another.
        Map<String, EmailEvent> withHistory = new LinkedHashMap<>();
        for (EmailEvent e : fresh.values()) {
            if (contacts.containsKey(e.correlationId())
                    && mapping.actionsFor(e.type()).stream().anyMatch(a -> a.kind() == ResponseAction.Kind.HISTORY)) {
                withHistory.put(sourceId(e), e);
            }
        }
        Set<String> failed = new HashSet<>();
        if (!withHistory.isEmpty()) {
            Map<String, Long> existing =
                    services.efficy().activities().find(mapping.sourceField(), withHistory.keySet());
            List<NewActivity> missing = new ArrayList<>();
            for (Map.Entry<String, EmailEvent> h : withHistory.entrySet()) {
                if (!existing.containsKey(h.getKey())) {
                    missing.add(history(h.getValue(), contacts.get(h.getValue().correlationId())));
                }
            }
            create(missing, failed, fresh, run);
        }

        // Field updates: the chunk's latest values per contact, all in one request.
        Map<Long, Map<String, Object>> fields = new LinkedHashMap<>();
        for (EmailEvent e : fresh.values()) {
            Long key = contacts.get(e.correlationId());
            if (key == null || failed.contains(e.correlationId())) {
                continue;
            }
            for (ResponseAction a : mapping.actionsFor(e.type())) {
                if (a.kind() == ResponseAction.Kind.SET_FIELD) {
                    fields.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(a.field(), a.value());
                } else if (a.kind() == ResponseAction.Kind.EVENT_TIME_TO_FIELD) {
                    fields.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(a.field(), efficyTime(e.eventTime()));
                }
            }
        }
        // Unsubscribes untick the consent in Efficy, so the next forward sync does not opt back in. The
        // unticks join the chunk's field updates: one read of the contacts, one write for all.
        Set<Long> unsubscribed = new LinkedHashSet<>();
        for (EmailEvent e : fresh.values()) {
            Long key = contacts.get(e.correlationId());
            if (key != null && e.type() == EmailEventType.UNSUBSCRIBED && !failed.contains(e.correlationId())) {
                unsubscribed.add(key);
            }
        }
        Map<Long, Set<String>> unticked = unsubscribes.unticks(unsubscribed, fields, run);
        if (!fields.isEmpty()) {
            services.efficy().contacts().updateFields(fields);
            run.written.addAndGet(fields.size());
        }
        unticked.forEach(unsubscribes::recordOptOut);
        List<String> done = new ArrayList<>();
        for (EmailEvent e : fresh.values()) {
            if (contacts.containsKey(e.correlationId()) && !failed.contains(e.correlationId())) {
                done.add(e.correlationId());
            }
        }
        store.markAllProcessed(EVENTS, done); // one batch for the chunk, not a statement per event
    }

    /** Finds each event's contact: by the CRM id column, else by address in one batched look-up. */
    private Map<String, Long> resolve(Collection<EmailEvent> events, RunCounters run) {
        Map<String, Long> found = new HashMap<>();
        List<EmailEvent> byAddress = new ArrayList<>();
        for (EmailEvent e : events) {
            Optional<Long> key = Optional.empty();
            if (keyAttribute != null) {
                key = e.column(keyAttribute)
                        .filter(v -> v.trim().matches("\\d{1,18}"))
                        .map(v -> Long.parseLong(v.trim()));
            }
            if (key.isPresent()) {
                found.put(e.correlationId(), key.get());
            } else {
                byAddress.add(e);
            }
        }
        if (!byAddress.isEmpty()) {
            Map<String, List<Long>> keys = services.efficy()
                    .contacts()
                    .keysByEmail(byAddress.stream()
                            .map(EmailEvent::address)
                            .filter(a -> !a.isBlank() && !a.contains(";"))
                            .toList());
            for (EmailEvent e : byAddress) {
                List<Long> matches = keys.getOrDefault(e.address().trim().toLowerCase(Locale.ROOT), List.of());
                if (matches.size() == 1) {
                    found.put(e.correlationId(), matches.get(0));
                } else {
                    String reason = matches.isEmpty()
                            ? "no Efficy contact has the event's address (" + domain(e.address()) + ")"
                            : matches.size() + " Efficy contacts share the event's address (" + domain(e.address())
                                    + ")";
                    jobs.quarantine(EVENTS, e.correlationId(), e.type() + ": " + reason, ParkedEvent.write(e), run);
                }
            }
        }
        return found;
    }

    private void create(
            List<NewActivity> missing, Set<String> failed, Map<String, EmailEvent> events, RunCounters run) {
        if (missing.isEmpty()) {
            return;
        }
        try {
            services.efficy().activities().createAll(missing);
            run.written.addAndGet(missing.size());
        } catch (EfficyRpcException batchFailure) {
            // One bad record (a contact deleted since) must not block the window: go one by one.
            for (NewActivity a : missing) {
                try {
                    if (services.efficy()
                            .activities()
                            .find(a.sourceField(), List.of(a.sourceId()))
                            .isEmpty()) {
                        services.efficy().activities().create(a);
                        run.written.incrementAndGet();
                    }
                } catch (EfficyRpcException e) {
                    String correlation = a.sourceId().substring("apsis-email:".length());
                    failed.add(correlation);
                    jobs.quarantine(
                            EVENTS,
                            correlation,
                            "Efficy refused the history record: "
                                    + e.errorString().orElse("no reason given"),
                            ParkedEvent.write(events.get(correlation)),
                            run);
                }
            }
        }
    }

    private NewActivity history(EmailEvent e, long contactKey) {
        NewActivity.Builder b = NewActivity.builder(contactKey, sourceId(e))
                .sourceField(mapping.sourceField())
                .subject(truncate("E-mail " + e.type().name().toLowerCase(Locale.ROOT) + ": " + e.subject(), 250))
                .memo("APSIS One sendout \"" + e.activityName() + "\" (" + e.activityId() + "), event " + e.type()
                        + " at " + e.eventTime())
                .done(true)
                .begin(LocalDateTime.ofInstant(e.eventTime(), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
        if (mapping.eventTypeField() != null) {
            b.field(mapping.eventTypeField(), e.type().name());
        }
        return b.build();
    }

    private static String sourceId(EmailEvent e) {
        return "apsis-email:" + e.correlationId();
    }

    private static String efficyTime(Instant t) {
        return EFFICY_TIME.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    private static String domain(String address) {
        int at = address.indexOf('@');
        return at < 0 ? "not an address" : "***" + address.substring(at);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
