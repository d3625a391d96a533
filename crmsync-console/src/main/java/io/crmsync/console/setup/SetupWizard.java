package io.crmsync.console.setup;

import io.crmsync.console.setup.LiveServices.SetupProblem;
import io.crmsync.console.view.ActionResult;
import io.crmsync.sync.SyncReport;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The set-up wizard's logic: each step's form checked and kept in the operator's draft (one per
 * console session, in memory, at most {@value #DRAFTS}), the live lists fetched when a step needs
 * them, and the host's {@link SetupTarget} called once the dry-run preview has run on the draft as
 * it stands. Secrets typed in are kept in the draft and never rendered again. Thread-safe.
 *
 * <pre>{@code
 * SetupWizard wizard = new SetupWizard(target);
 * ActionResult r = wizard.post(session, "connect", form);
 * String html = wizard.page("/console", csrf, session, 2);
 * }</pre>
 */
public final class SetupWizard {

    /** The steps, in order. */
    public static final List<String> STEPS = List.of("connect", "conditions", "fields", "consent", "sync");

    static final int DRAFTS = 64;
    static final int ROWS = 3;
    static final Set<String> SECRET_KEYS = Set.of("efficy.apiKey", "apsis.clientSecret");
    static final List<String> OPERATORS = List.of("equals", "notEquals", "in", "notEmpty");

    private final SetupTarget target;
    private final LiveServices live;
    private final Map<String, SetupDraft> drafts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SetupDraft> eldest) {
            return size() > DRAFTS;
        }
    };

    /** A wizard that stores its result through {@code target}. */
    public SetupWizard(SetupTarget target) {
        this(target, new LiveServices());
    }

    SetupWizard(SetupTarget target, LiveServices live) {
        this.target = Objects.requireNonNull(target, "target");
        this.live = live;
    }

    /** Where the result goes. */
    public SetupTarget target() {
        return target;
    }

    private synchronized SetupDraft draft(String session) {
        return drafts.computeIfAbsent(session, s -> new SetupDraft());
    }

    /** The furthest step a session may open (1 to 5). */
    public int reached(String session) {
        SetupDraft d = draft(session);
        synchronized (d) {
            return d.reached;
        }
    }

    /**
     * Handles a step's form ({@code connect}, {@code conditions}, {@code fields}, {@code consent},
     * {@code preview}, {@code finish}).
     *
     * @return what was done, or what was wrong (the draft keeps what was entered before)
     */
    public ActionResult post(String session, String step, Map<String, String> form) {
        SetupDraft d = draft(session);
        synchronized (d) {
            try {
                return switch (step) {
                    case "connect" -> connect(d, form);
                    case "conditions" -> conditions(d, form);
                    case "fields" -> fields(d, form);
                    case "consent" -> consent(d, form);
                    case "preview" -> preview(d);
                    case "finish" -> finish(session, d);
                    default -> ActionResult.refused("no such set-up step: " + step);
                };
            } catch (SetupProblem e) {
                return ActionResult.refused(e.getMessage());
            }
        }
    }

    /** The page of a step (1 to 5; a step not reached yet shows the furthest one reached). */
    public String page(String mount, String csrf, String session, int step, String section) {
        SetupDraft d = draft(session);
        synchronized (d) {
            int shown = Math.max(1, Math.min(step, d.reached));
            if (shown == 3 && section != null && d.sections.contains(section)) {
                d.values.put("apsis.section", section);
                d.attributes = live.attributes(d.all(), section);
            }
            return SetupPages.page(mount, csrf, shown, d, target);
        }
    }

    private ActionResult connect(SetupDraft d, Map<String, String> form) {
        if (target.asksForTenant()) {
            String tenant = form.getOrDefault("tenant", "").strip().toLowerCase(Locale.ROOT);
            if (!tenant.matches("[a-z0-9][a-z0-9-]{0,39}")) {
                return ActionResult.refused("tenant id: 1 to 40 lower-case letters, digits and -, not starting with -");
            }
            d.tenant = tenant;
        }
        for (String key : List.of("efficy.url", "efficy.customer", "apsis.baseUrl", "apsis.clientId")) {
            String value = form.getOrDefault(key, "").strip();
            if (value.isEmpty()) {
                return ActionResult.refused(key + " is required");
            }
            d.values.put(key, value);
        }
        for (String key : SECRET_KEYS) {
            String value = form.getOrDefault(key, "").strip();
            if (!value.isEmpty()) {
                d.secrets.put(key, value);
            } else if (!d.secrets.containsKey(key)) {
                return ActionResult.refused(key + " is required");
            }
        }
        d.previewed = false;
        try {
            target.checkCallable(d.tenant, d.config());
        } catch (IllegalArgumentException refused) {
            return ActionResult.refused(refused.getMessage());
        }
        LiveServices.Connection c = live.connect(d.all());
        d.efficyUser = c.efficyUser();
        d.sections = c.sections();
        d.efficyFields = c.efficyFields();
        if (!d.values.containsKey("apsis.section") || !d.sections.contains(d.values.get("apsis.section"))) {
            d.values.put("apsis.section", d.sections.get(0));
        }
        d.attributes = live.attributes(d.all(), d.values.get("apsis.section"));
        d.reached = Math.max(d.reached, 2);
        return ActionResult.done("Connected: Efficy as " + c.efficyUser() + ", APSIS with "
                + c.sections().size() + " section(s); " + c.efficyFields().size() + " contact fields listed");
    }

    private ActionResult conditions(SetupDraft d, Map<String, String> form) {
        requireReached(d, 2);
        Map<String, String> rows = new LinkedHashMap<>();
        int n = 0;
        for (int i = 1; i <= ROWS; i++) {
            String field = form.getOrDefault("field" + i, "").strip();
            if (field.isEmpty()) {
                continue;
            }
            String op = form.getOrDefault("op" + i, "equals");
            if (!d.efficyFields.contains(field) || !OPERATORS.contains(op)) {
                return ActionResult.refused("condition " + i + ": pick a listed field and operator");
            }
            String value = form.getOrDefault("value" + i, "").strip();
            if (value.isEmpty() && !op.equals("notEmpty")) {
                return ActionResult.refused("condition " + i + ": " + op + " needs a value");
            }
            n++;
            rows.put("condition." + n + ".field", field);
            rows.put("condition." + n + ".op", op);
            if (!op.equals("notEmpty")) {
                rows.put("condition." + n + ".value", value);
            }
        }
        d.clear("condition.");
        d.values.putAll(rows);
        LiveServices.config(d.all());
        d.previewed = false;
        d.reached = Math.max(d.reached, 3);
        return ActionResult.done(n == 0 ? "No condition: every contact syncs" : n + " condition(s) kept");
    }

    private ActionResult fields(SetupDraft d, Map<String, String> form) {
        requireReached(d, 3);
        String section = form.getOrDefault("apsis.section", d.values.get("apsis.section"));
        if (!d.sections.contains(section)) {
            return ActionResult.refused("pick a listed APSIS section");
        }
        Set<String> attributes = new HashSet<>();
        d.attributes.forEach(a -> attributes.add(a.id()));
        Map<String, String> rows = new LinkedHashMap<>();
        for (String field : d.efficyFields) {
            String attribute = form.getOrDefault("map." + field, "");
            if (attribute.isEmpty()) {
                continue;
            }
            if (!attributes.contains(attribute)) {
                return ActionResult.refused(field + ": pick a listed APSIS attribute");
            }
            rows.put("mapping." + field, attribute);
        }
        if (rows.isEmpty()) {
            return ActionResult.refused("map at least one field (the e-mail address)");
        }
        d.clear("mapping.");
        d.values.put("apsis.section", section);
        d.values.putAll(rows);
        LiveServices.config(d.all());
        d.topics = live.topics(d.all(), section);
        d.previewed = false;
        d.reached = Math.max(d.reached, 4);
        return ActionResult.done(rows.size() + " field(s) mapped");
    }

    private ActionResult consent(SetupDraft d, Map<String, String> form) {
        requireReached(d, 4);
        Set<String> topics = new HashSet<>();
        d.topics.forEach(t -> topics.add(t.id()));
        Map<String, String> rows = new LinkedHashMap<>();
        int n = 0;
        for (int i = 1; i <= ROWS; i++) {
            String source = form.getOrDefault("source" + i, "").strip();
            if (source.isEmpty()) {
                continue;
            }
            String topic = form.getOrDefault("topic" + i, "");
            String channel = form.getOrDefault("channel" + i, "email");
            if (!topics.contains(topic) || !List.of("email", "sms").contains(channel)) {
                return ActionResult.refused("consent " + i + ": pick a listed topic and a channel");
            }
            n++;
            if (source.matches("[0-9]+")) {
                rows.put("consent." + n + ".profile", source);
            } else if (d.efficyFields.contains(source)) {
                rows.put("consent." + n + ".checkbox", source);
            } else {
                return ActionResult.refused("consent " + i + ": a listed checkbox field, or a Profile key (digits)");
            }
            rows.put("consent." + n + ".topic", topic);
            rows.put("consent." + n + ".channel", channel);
        }
        d.clear("consent.");
        d.values.putAll(rows);
        LiveServices.config(d.all());
        d.previewed = false;
        d.reached = Math.max(d.reached, 5);
        return ActionResult.done(n == 0 ? "No consent mapped" : n + " consent mapping(s) kept");
    }

    private ActionResult preview(SetupDraft d) {
        requireReached(d, 5);
        SyncReport r = live.preview(d.all());
        d.preview = "The first sync would read " + r.seen() + " contacts: create " + r.created() + " profiles, update "
                + r.updated() + ", leave out " + r.filteredOut() + " (conditions), send " + r.consentChanges()
                + " consent changes, quarantine " + r.quarantined().size() + ".";
        d.previewed = true;
        return ActionResult.done("Preview ready (dry run: nothing was written)");
    }

    private ActionResult finish(String session, SetupDraft d) {
        requireReached(d, 5);
        if (!d.previewed) {
            return ActionResult.refused("run the preview first: it checks the set-up against both services");
        }
        ActionResult saved = target.save(d.tenant, d.config(), Map.copyOf(d.secrets));
        if (saved.ok()) {
            synchronized (this) {
                drafts.remove(session);
            }
        }
        return saved;
    }

    private static void requireReached(SetupDraft d, int step) {
        if (d.reached < step) {
            throw new SetupProblem("finish step " + (d.reached) + " (" + STEPS.get(d.reached - 1) + ") first");
        }
    }
}
