package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.ConsentRecord;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.apsis.ProfileView;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The APSIS One REST API as the emulator serves it, read independently of the project's client
 * from the protocol notes. State is in memory and guarded by one lock ({@code this}), which the
 * route families it hands requests to take as well: {@link ProfileRoutes}, {@link ConsentRoutes},
 * {@link ImportDesk}, {@link ReportDesk} and {@link TokenDesk}; this class routes, authenticates,
 * keeps the rate limits and serves the definitions.
 */
public final class ApsisService {

    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ]{6,20}$");

    final ObjectMapper mapper;
    final Clock clock;
    final String clientId;
    final String clientSecret;
    volatile Duration tokenLifetime;
    private volatile ApsisLimits limits;
    private final LimitBuckets buckets;
    private Supplier<URI> baseUri;

    final DefinitionRegistry definitions = new DefinitionRegistry();
    final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    final Map<Long, EmulatedProfile> profiles = new LinkedHashMap<>();
    final Map<String, Map<String, EmulatedProfile>> byKey = new HashMap<>();
    final AtomicLong profileIds = new AtomicLong();
    private final ImportDesk imports = new ImportDesk(this);

    /** Imports not yet completed or failed. */
    public int pendingImports() {
        return imports.pending();
    }

    private final ReportDesk reports = new ReportDesk(this);
    private final ProfileRoutes profileRoutes = new ProfileRoutes(this);
    private final DefinitionRoutes definitionRoutes = new DefinitionRoutes(this);
    private final CampaignSimulator campaigns = new CampaignSimulator(this);
    private final ConsentRoutes consentRoutes = new ConsentRoutes(this);
    private final TokenDesk tokenDesk = new TokenDesk(this);
    final List<EmailEventRecord> emailEvents = new ArrayList<>();

    /** Creates the service. */
    public ApsisService(
            ObjectMapper mapper,
            Clock clock,
            String clientId,
            String clientSecret,
            Duration tokenLifetime,
            ApsisLimits limits) {
        this.mapper = mapper;
        this.clock = clock;
        this.buckets = new LimitBuckets(clock);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokenLifetime = tokenLifetime;
        limits(limits);
    }

    /** The client id this account accepts. */
    public String clientId() {
        return clientId;
    }

    /**
     * Whether a request belongs to this account, for a server that serves several: a token request
     * naming its client id, a bearer token it issued, or an upload or download id it handed out.
     */
    public boolean owns(EmulatorRequest r) {
        String[] p = ApsisPaths.segments(r.rawPath());
        if (r.method().equals("POST") && ApsisPaths.path(p, "oauth", "token")) {
            try {
                JsonNode body = mapper.readTree(r.body());
                return body != null && clientId.equals(body.path("client_id").asText());
            } catch (IOException e) {
                return false;
            }
        }
        if (p.length == 2 && p[0].equals("uploads")) {
            return imports.knows(p[1]);
        }
        if (p.length == 2 && p[0].equals("downloads")) {
            return reports.knows(p[1]);
        }
        String header = r.header("authorization").orElse("");
        return header.regionMatches(true, 0, "Bearer ", 0, 7)
                && tokens.containsKey(header.substring(7).trim());
    }

    /** Where the emulator is reachable, for upload and download URLs. */
    public void baseUri(Supplier<URI> base) {
        this.baseUri = base;
    }

    ApsisLimits currentLimits() {
        return limits;
    }

    URI base() {
        return baseUri.get();
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Replaces the limits (and resets the buckets). */
    public synchronized void limits(ApsisLimits l) {
        this.limits = l;
        buckets.reset(l);
    }

    /** Changes the lifetime of tokens issued from now on. */
    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    // --- Routing

    /** Handles one request. */
    public EmulatorResponse handle(EmulatorRequest r) {
        String[] p = ApsisPaths.segments(r.rawPath());
        String m = r.method();
        String route = ApsisPaths.route(m, p);
        ApsisVocabulary.audit(route, r, mapper);
        try {
            if (m.equals("POST") && ApsisPaths.path(p, "oauth", "token")) {
                return tokenDesk.issue(r);
            }
            if (m.equals("POST") && p.length == 2 && p[0].equals("uploads")) {
                return imports.upload(r, p[1]);
            }
            if (m.equals("GET") && p.length == 2 && p[0].equals("downloads")) {
                return reports.download(r, p[1]);
            }
            if (r.body().length > limits.maxBodyBytes()) {
                return problem(413, "Payload Too Large", "body exceeds " + limits.maxBodyBytes() + " bytes", route);
            }
            EmulatorResponse auth = authenticate(r, route);
            if (auth != null) {
                return auth;
            }
            EmulatorResponse limited = limit(route, ApsisPaths.profileKey(p));
            if (limited != null) {
                return limited;
            }
            return dispatch(r, m, p, route);
        } catch (BadRequest e) {
            // Errors keep the route template; the journal entry's status tells them apart.
            return problem(e.status, e.title, e.getMessage(), route);
        }
    }

    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String title;

        BadRequest(int status, String title, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.title = title;
        }
    }

    static BadRequest bad(String detail) {
        return new BadRequest(400, "Bad Request", detail);
    }

    static BadRequest notFound(String detail) {
        return new BadRequest(404, "Not Found", detail);
    }

    private EmulatorResponse dispatch(EmulatorRequest r, String m, String[] p, String route) {
        if (DefinitionRoutes.ROUTES.contains(route)) {
            return definitionRoutes.get(route, p);
        }
        switch (route) {
            case "POST /audience/keyspaces/{ks}/sections/{s}/profiles":
                return profileRoutes.createProfile(p[2], p[4], json(r), route);
            case "PATCH /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes":
                return profileRoutes.patchAttributes(r, p[3], p[5], p[7], route);
            case "PATCH /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes":
                return profileRoutes.patchAttributesByVersion(r, p[2], p[4], p[6], route);
            case "DELETE /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes/{v}":
                return profileRoutes.clearAttribute(p[2], p[4], p[6], p[8], route);
            case "GET /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes":
                return profileRoutes.readAttributes(p[2], p[4], p[6], route);
            case "PATCH /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/tags":
                return profileRoutes.patchTags(r, p[2], p[4], p[6], route);
            case "POST /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/events":
                return profileRoutes.postEvents(json(r), p[2], p[4], p[6], route);
            case "DELETE /audience/keyspaces/{ks}/profiles/{pk}":
                return profileRoutes.deleteProfile(p[2], p[4], route);
            case "PUT /audience/profiles/merges":
                return profileRoutes.merge(json(r), route);
            case "POST /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/consents":
                return consentRoutes.createConsent(json(r), p[3], p[5], p[7], route);
            case "GET /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/consents":
                return consentRoutes.listConsents(r, p[3], p[5], p[7], route);
            case "POST /v2/audience/sections/{s}/imports":
                return imports.create(json(r), p[3], route);
            case "GET /audience/sections/{s}/imports/{id}":
                return imports.status(p[2], p[4], route);
            case "POST /emails/reports":
                return reports.create(json(r), route);
            case "GET /emails/reports/{id}":
                return reports.status(r, p[2], route);
            default:
                return problem(404, "Not Found", "no route " + m + " " + r.rawPath(), route);
        }
    }

    // --- Auth and limits

    private EmulatorResponse authenticate(EmulatorRequest r, String route) {
        String header = r.header("authorization").orElse("");
        if (!header.startsWith("Bearer ")) {
            return problem(401, "Unauthorized", "missing bearer token", route);
        }
        Instant exp = tokens.get(header.substring(7).trim());
        if (exp == null) {
            return problem(401, "Unauthorized", "invalid bearer token", route);
        }
        if (!clock.instant().isBefore(exp)) {
            return problem(403, "Forbidden", "Access token expired", route);
        }
        return null;
    }

    /** Forgets every issued token. */
    public void revokeTokens() {
        tokens.clear();
    }

    private EmulatorResponse limit(String route, String profileKey) {
        return limited(buckets.take(route, profileKey), route);
    }

    /** The token endpoint's limit (10 a minute). */
    EmulatorResponse tokenLimit() {
        return limited(buckets.takeToken(), "POST /oauth/token");
    }

    /** A 429 for a bucket that said wait ({@code waitNanos} above 0), or null to go on. */
    private EmulatorResponse limited(long waitNanos, String route) {
        if (!limits.enabled() || waitNanos == 0) {
            return null;
        }
        EmulatorResponse r = problem(429, "Too Many Requests", "rate limit exceeded", "429 " + route);
        if (limits.retryAfter()) {
            long second = TimeUnit.SECONDS.toNanos(1);
            r = r.withHeader("Retry-After", Long.toString(Math.max(1, (waitNanos + second - 1) / second)));
        }
        return r;
    }

    // --- Definitions

    synchronized void section(String section) {
        if (!definitions.sections.contains(section)) {
            throw notFound("section " + section + " does not exist");
        }
    }

    synchronized void keyspace(String keyspace) {
        if (!definitions.keyspaces.containsKey(keyspace)) {
            throw notFound("keyspace " + keyspace + " does not exist");
        }
    }

    // --- Profiles

    void validateKey(String keyspace, String key) {
        if (key.isBlank()) {
            throw bad("profile key must not be blank");
        }
        if (keyspace.equals(Definitions.EMAIL_KEYSPACE) && !EMAIL.matcher(key).matches()) {
            throw bad("profile key is not a valid e-mail address");
        }
        if (keyspace.equals(Definitions.MOBILE_KEYSPACE) && !PHONE.matcher(key).matches()) {
            throw bad("profile key is not a valid mobile number");
        }
    }

    synchronized EmulatedProfile find(String keyspace, String key) {
        Map<String, EmulatedProfile> index = byKey.get(keyspace);
        return index == null ? null : index.get(key);
    }

    EmulatedProfile require(String keyspace, String key) {
        keyspace(keyspace);
        EmulatedProfile profile = find(keyspace, key);
        if (profile == null) {
            throw notFound("profile not found");
        }
        return profile;
    }

    EmulatedProfile newProfile(String keyspace, String key, String section) {
        EmulatedProfile profile = new EmulatedProfile(profileIds.incrementAndGet());
        profiles.put(profile.id, profile);
        addKey(profile, keyspace, key);
        String mapped = DefinitionRegistry.mappedAttribute(keyspace);
        if (mapped != null && section != null) {
            profile.attributes(section).put(mapped, JsonNodeFactory.instance.textNode(key));
        }
        return profile;
    }

    void addKey(EmulatedProfile profile, String keyspace, String key) {
        String old = profile.keys.put(keyspace, key);
        if (old != null) {
            byKey.get(keyspace).remove(old);
        }
        byKey.computeIfAbsent(keyspace, k -> new HashMap<>()).put(key, profile);
    }

    // --- Consents

    String address(EmulatedProfile profile, String section, String channel) {
        String attribute = channel.equals(Definitions.SMS_CHANNEL) ? Definitions.MOBILE : Definitions.EMAIL;
        JsonNode v = profile.attributes(section).get(attribute);
        return v == null || v.asText().isBlank() ? null : v.asText();
    }

    /** Records a consent; returns 201 (new), 204 (changed) or 409 (same type). */
    int consent(
            EmulatedProfile profile,
            String section,
            String topic,
            String channel,
            String type,
            String address,
            String source,
            String reason) {
        Map<String, ConsentRecord> current = profile.consents(section);
        String slot = topic + "|" + channel;
        ConsentRecord before = current.get(slot);
        if (before != null && before.type().equals(type)) {
            return 409;
        }
        ConsentRecord record =
                new ConsentRecord(clock.instant(), section, topic, channel, type, address, source, reason);
        current.put(slot, record);
        profile.history.add(record);
        return before == null ? 201 : 204;
    }

    // --- Email event export

    // --- Helpers for the facade

    /** A snapshot of a profile. */
    public synchronized Optional<ProfileView> view(String keyspace, String key) {
        EmulatedProfile p = find(keyspace, key);
        return p == null ? Optional.empty() : Optional.of(viewOf(p));
    }

    /** Snapshots of every profile, in the order they were made. */
    public synchronized List<ProfileView> views() {
        return profiles.values().stream().map(this::viewOf).toList();
    }

    private ProfileView viewOf(EmulatedProfile p) {
        Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
        p.attributes.forEach((s, a) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            a.forEach((d, v) -> values.put(
                    d,
                    v.isIntegralNumber()
                            ? (Object) v.longValue()
                            : v.isNumber()
                                    ? (Object) v.doubleValue()
                                    : v.isBoolean() ? (Object) v.booleanValue() : v.asText()));
            attributes.put(s, values);
        });
        Map<String, Set<String>> tags = new LinkedHashMap<>();
        p.tags.forEach((s, t) -> tags.put(s, Set.copyOf(t)));
        List<ConsentRecord> consents = new ArrayList<>();
        p.consents.values().forEach(m -> consents.addAll(m.values()));
        return new ProfileView(Map.copyOf(p.keys), attributes, tags, consents, List.copyOf(p.history), p.events.size());
    }

    /** The events posted on a profile. */
    public synchronized List<JsonNode> events(String keyspace, String key) {
        EmulatedProfile p = find(keyspace, key);
        return p == null ? List.of() : List.copyOf(p.events);
    }

    /** Adds a tag definition. */
    public synchronized void addTag(String discriminator, String name) {
        definitions.tags.put(discriminator, name);
    }

    /** Simulates a sendout; see {@link Campaign}. */
    public synchronized CampaignResult simulate(Campaign c) {
        return campaigns.simulate(c);
    }

    /** Checks a value against its attribute's type; returns null for "clear". */
    JsonNode checkAttribute(String discriminator, JsonNode value) {
        return profileRoutes.checkAttribute(discriminator, value);
    }

    /** A profile by its internal id, or null. */
    EmulatedProfile profileById(long id) {
        return profiles.get(id);
    }

    synchronized List<EmulatedProfile> profilesIn(String section) {
        return profiles.values().stream()
                .filter(p -> p.attributes.containsKey(section) || p.consents.containsKey(section))
                .toList();
    }

    /** Number of profiles. */
    public synchronized int profileCount() {
        return profiles.size();
    }

    synchronized void addEmailEvents(List<EmailEventRecord> events) {
        emailEvents.addAll(events);
    }

    Clock clock() {
        return clock;
    }

    JsonNode json(EmulatorRequest r) {
        if (r.body().length == 0) {
            throw bad("a JSON body is required");
        }
        try {
            JsonNode node = mapper.readTree(r.body());
            if (node == null) {
                throw bad("a JSON body is required");
            }
            return node;
        } catch (IOException e) {
            throw bad("the body is not valid JSON");
        }
    }

    EmulatorResponse items(List<ObjectNode> items, String route) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("items");
        items.forEach(list::add);
        return EmulatorResponse.json(200, root.toString(), route);
    }

    EmulatorResponse problem(int status, String title, String detail, String route) {
        ObjectNode p = mapper.createObjectNode();
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/problem+json");
        return new EmulatorResponse(status, headers, p.toString().getBytes(StandardCharsets.UTF_8), route);
    }
}
