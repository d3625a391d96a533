package io.crmsync.testkit.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.http.EmulatorRequest;
import io.crmsync.testkit.http.EmulatorResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The APSIS One REST API as the emulator serves it, read independently of the project's client
 * from the protocol notes. State is in memory and guarded by one lock ({@code this}).
 */
public final class ApsisService {

  static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ]{6,20}$");
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final ObjectMapper mapper;
  private final Clock clock;
  private final Instant origin;
  private final String clientId;
  private final String clientSecret;
  private volatile Duration tokenLifetime;
  private volatile ApsisLimits limits;
  private Supplier<URI> baseUri;

  final Definitions definitions = new Definitions();
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final Map<Long, EmulatedProfile> profiles = new LinkedHashMap<>();
  private final Map<String, Map<String, EmulatedProfile>> byKey = new HashMap<>();
  private final AtomicLong profileIds = new AtomicLong();
  private final ImportDesk imports = new ImportDesk(this);
  private final Map<String, Report> reports = new HashMap<>();
  final List<EmailEventRecord> emailEvents = new ArrayList<>();

  private Bucket account;
  private Bucket token;
  private Bucket importCreates;
  private Bucket exportCreates;
  private final Map<String, Bucket> perProfile = new ConcurrentHashMap<>();

  private record Report(String id, Instant start, Instant end, List<String> attributes, String auth,
      int[] polls) {}

  /** Creates the service. */
  public ApsisService(ObjectMapper mapper, Clock clock, String clientId, String clientSecret,
      Duration tokenLifetime, ApsisLimits limits) {
    this.mapper = mapper;
    this.clock = clock;
    this.origin = clock.instant();
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.tokenLifetime = tokenLifetime;
    limits(limits);
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
    account = new Bucket(l.perAccountPerSecond(), SECOND);
    token = new Bucket(l.tokenPerMinute(), MINUTE);
    importCreates = new Bucket(l.importsPerMinute(), MINUTE);
    exportCreates = new Bucket(l.exportsPerMinute(), MINUTE);
    perProfile.clear();
  }

  /** Changes the lifetime of tokens issued from now on. */
  public void tokenLifetime(Duration lifetime) {
    this.tokenLifetime = lifetime;
  }

  // ---------------------------------------------------------------------------------------------
  // Routing

  /** Handles one request. */
  public EmulatorResponse handle(EmulatorRequest r) {
    String[] p = segments(r.rawPath());
    String m = r.method();
    String route = route(m, p);
    ApsisVocabulary.audit(route, r, mapper);
    try {
      if (m.equals("POST") && path(p, "oauth", "token")) {
        return token(r);
      }
      if (m.equals("POST") && p.length == 2 && p[0].equals("uploads")) {
        return imports.upload(r, p[1]);
      }
      if (m.equals("GET") && p.length == 2 && p[0].equals("downloads")) {
        return download(r, p[1]);
      }
      if (r.body().length > limits.maxBodyBytes()) {
        return problem(413, "Payload Too Large", "body exceeds " + limits.maxBodyBytes() + " bytes", route);
      }
      EmulatorResponse auth = authenticate(r, route);
      if (auth != null) {
        return auth;
      }
      EmulatorResponse limited = limit(route, profileKey(p));
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
    switch (route) {
      case "GET /audience/sections":
        return items(definitions.sections.stream().map(s -> def(s, s)).toList(), route);
      case "GET /audience/keyspaces":
        return items(definitions.keyspaces.entrySet().stream().map(e -> def(e.getKey(), e.getValue())).toList(), route);
      case "GET /audience/channels":
        return items(definitions.channels.entrySet().stream().map(e -> def(e.getKey(), e.getValue())).toList(), route);
      case "GET /audience/sections/{s}/attributes":
        section(p[2]);
        return items(attributeDefs(), route);
      case "GET /audience/sections/{s}/tags":
        section(p[2]);
        return items(definitions.tags.entrySet().stream().map(e -> def(e.getKey(), e.getValue())).toList(), route);
      case "GET /audience/sections/{s}/events":
        section(p[2]);
        return items(eventDefs(), route);
      case "GET /v2/audience/sections/{s}/topics":
        section(p[3]);
        return items(definitions.topics.entrySet().stream().map(e -> {
          ObjectNode t = def(e.getKey(), e.getValue());
          t.put("consent_list_discriminator", "usercreated.consent-lists.marketing");
          return t;
        }).toList(), route);
      case "POST /audience/keyspaces/{ks}/sections/{s}/profiles":
        return createProfile(p[2], p[4], json(r), route);
      case "PATCH /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes":
        return patchAttributes(r, p[3], p[5], p[7], route);
      case "GET /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes":
        return readAttributes(p[2], p[4], p[6], route);
      case "PATCH /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/tags":
        return patchTags(r, p[2], p[4], p[6], route);
      case "POST /audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/events":
        return postEvents(json(r), p[2], p[4], p[6], route);
      case "DELETE /audience/keyspaces/{ks}/profiles/{pk}":
        return deleteProfile(p[2], p[4], route);
      case "PUT /audience/profiles/merges":
        return merge(json(r), route);
      case "POST /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/consents":
        return createConsent(json(r), p[3], p[5], p[7], route);
      case "GET /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/consents":
        return listConsents(r, p[3], p[5], p[7], route);
      case "POST /v2/audience/sections/{s}/imports":
        return imports.create(json(r), p[3], route);
      case "GET /audience/sections/{s}/imports/{id}":
        return imports.status(p[2], p[4], route);
      case "POST /emails/reports":
        return createReport(json(r), route);
      case "GET /emails/reports/{id}":
        return reportStatus(r, p[2], route);
      default:
        return problem(404, "Not Found", "no route " + m + " " + r.rawPath(), route);
    }
  }

  /** The route template of a path, with discriminators and keys as placeholders. */
  static String route(String m, String[] p) {
    StringBuilder b = new StringBuilder(m).append(' ');
    for (int i = 0; i < p.length; i++) {
      b.append('/');
      String prev = i > 0 ? p[i - 1] : "";
      switch (prev) {
        case "keyspaces":
          b.append("{ks}");
          break;
        case "profiles":
          b.append(p[i].equals("merges") ? "merges" : "{pk}");
          break;
        case "sections":
          b.append("{s}");
          break;
        case "imports":
        case "reports":
          b.append("{id}");
          break;
        default:
          b.append(p[i]);
      }
    }
    return b.toString();
  }

  private static String profileKey(String[] p) {
    for (int i = 0; i + 1 < p.length; i++) {
      if (p[i].equals("profiles") && !p[i + 1].equals("merges")) {
        return p[i - 1] + "/" + p[i + 1];
      }
    }
    return null;
  }

  private static boolean path(String[] p, String... expected) {
    return java.util.Arrays.equals(p, expected);
  }

  static String[] segments(String rawPath) {
    String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    if (trimmed.isEmpty()) {
      return new String[0];
    }
    String[] raw = trimmed.split("/", -1);
    String[] out = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = percentDecode(raw[i]);
    }
    return out;
  }

  /** RFC 3986 percent-decoding; unlike URLDecoder it leaves '+' as '+'. */
  static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------
  // Auth and limits

  private EmulatorResponse token(EmulatorRequest r) {
    EmulatorResponse limited = limited(token, "POST /oauth/token");
    if (limited != null) {
      return limited;
    }
    JsonNode body;
    try {
      body = mapper.readTree(r.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return problem(400, "Bad Request", "token request body must be JSON", "POST /oauth/token");
    }
    if (!"client_credentials".equals(body.path("grant_type").asText())) {
      return problem(400, "Bad Request", "unsupported grant_type", "POST /oauth/token");
    }
    if (!clientId.equals(body.path("client_id").asText()) || !clientSecret.equals(body.path("client_secret").asText())) {
      return problem(401, "Unauthorized", "invalid client credentials", "POST /oauth/token");
    }
    Instant now = clock.instant();
    Instant exp = now.plus(tokenLifetime);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String jwt = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"sub\":\"" + clientId + "\",\"iat\":" + now.getEpochSecond() + ",\"exp\":"
            + exp.getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8))
        + ".emulator";
    tokens.put(jwt, exp);
    ObjectNode answer = mapper.createObjectNode();
    answer.put("access_token", jwt);
    answer.put("expires_in", tokenLifetime.toSeconds());
    answer.put("token_type", "Bearer");
    return EmulatorResponse.json(200, answer.toString(), "POST /oauth/token");
  }

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
    EmulatorResponse r = limited(account, route);
    if (r == null && profileKey != null) {
      r = limited(perProfile.computeIfAbsent(profileKey, k -> new Bucket(limits.perProfilePerSecond(), SECOND)), route);
    }
    if (r == null && route.equals("POST /v2/audience/sections/{s}/imports")) {
      r = limited(importCreates, route);
    }
    if (r == null && route.equals("POST /emails/reports")) {
      r = limited(exportCreates, route);
    }
    return r;
  }

  private EmulatorResponse limited(Bucket bucket, String route) {
    if (!limits.enabled()) {
      return null;
    }
    long now = Duration.between(origin, clock.instant()).toNanos();
    long wait = bucket.take(now);
    if (wait == 0) {
      return null;
    }
    EmulatorResponse r = problem(429, "Too Many Requests", "rate limit exceeded", "429 " + route);
    if (limits.retryAfter()) {
      r = r.withHeader("Retry-After", Long.toString(Math.max(1, (wait + SECOND - 1) / SECOND)));
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // Definitions

  private ObjectNode def(String discriminator, String name) {
    ObjectNode n = mapper.createObjectNode();
    n.put("discriminator", discriminator);
    n.put("name", name);
    return n;
  }

  private synchronized List<ObjectNode> attributeDefs() {
    List<ObjectNode> list = new ArrayList<>();
    for (Definitions.Attribute a : definitions.attributes.values()) {
      ObjectNode n = def(a.discriminator(), a.name());
      n.put("type", a.type());
      ArrayNode versions = n.putArray("versions");
      if (a.deprecatedVersionId() != null) {
        versions.addObject().put("id", a.deprecatedVersionId()).put("deprecated_at", "2023-01-01T00:00:00Z");
      }
      versions.addObject().put("id", a.versionId()).putNull("deprecated_at");
      list.add(n);
    }
    return list;
  }

  private synchronized List<ObjectNode> eventDefs() {
    List<ObjectNode> list = new ArrayList<>();
    definitions.events.forEach((d, version) -> {
      ObjectNode n = def(d, d);
      n.putArray("versions").addObject().put("id", version).putNull("deprecated_at");
      list.add(n);
    });
    return list;
  }

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

  // ---------------------------------------------------------------------------------------------
  // Profiles

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

  private EmulatedProfile require(String keyspace, String key) {
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
    String mapped = Definitions.mappedAttribute(keyspace);
    if (mapped != null && section != null) {
      profile.attributes(section).put(mapped, JsonNodeFactory.instance.textNode(key));
    }
    return profile;
  }

  private void addKey(EmulatedProfile profile, String keyspace, String key) {
    String old = profile.keys.put(keyspace, key);
    if (old != null) {
      byKey.get(keyspace).remove(old);
    }
    byKey.computeIfAbsent(keyspace, k -> new HashMap<>()).put(key, profile);
  }

  private synchronized EmulatorResponse createProfile(String keyspace, String section, JsonNode body, String route) {
    keyspace(keyspace);
    section(section);
    String key = body.path("profile_key").asText("");
    validateKey(keyspace, key);
    if (find(keyspace, key) != null) {
      return problem(409, "Conflict", "profile already exists", route);
    }
    newProfile(keyspace, key, section);
    return EmulatorResponse.empty(201, route);
  }

  private EmulatorResponse patchAttributes(EmulatorRequest r, String keyspace, String key, String section, String route) {
    String type = r.header("content-type").orElse("");
    if (!type.startsWith("application/merge-patch+json")) {
      return problem(415, "Unsupported Media Type", "use application/merge-patch+json", route);
    }
    JsonNode body = json(r);
    if (!body.isObject()) {
      throw bad("merge patch must be a JSON object");
    }
    synchronized (this) {
      section(section);
      EmulatedProfile profile = require(keyspace, key);
      Map<String, JsonNode> checked = new LinkedHashMap<>();
      body.fields().forEachRemaining(e -> checked.put(e.getKey(), checkAttribute(e.getKey(), e.getValue())));
      Map<String, JsonNode> attributes = profile.attributes(section);
      checked.forEach((d, v) -> {
        if (v == null) {
          attributes.remove(d);
        } else {
          attributes.put(d, v);
        }
      });
      JsonNode email = checked.get(Definitions.EMAIL);
      if (email != null && profile.keys.containsKey(Definitions.EMAIL_KEYSPACE)
          && find(Definitions.EMAIL_KEYSPACE, email.asText()) == null) {
        addKey(profile, Definitions.EMAIL_KEYSPACE, email.asText());
      }
    }
    return EmulatorResponse.empty(204, route);
  }

  /** Checks a value against its attribute's type; returns null for "clear". */
  JsonNode checkAttribute(String discriminator, JsonNode value) {
    Definitions.Attribute a = definitions.attributes.get(discriminator);
    if (a == null) {
      throw bad("unknown attribute " + discriminator);
    }
    if (value == null || value.isNull()) {
      return null;
    }
    String text = value.asText();
    switch (a.type()) {
      case "email":
        if (!value.isTextual() || !EMAIL.matcher(text).matches()) {
          throw bad("attribute " + discriminator + " must be a valid e-mail address");
        }
        return value;
      case "mobile":
        if (!value.isTextual() || !PHONE.matcher(text).matches()) {
          throw bad("attribute " + discriminator + " must be a mobile number");
        }
        return value;
      case "integer":
        if (value.isIntegralNumber()) {
          return value;
        }
        try {
          return JsonNodeFactory.instance.numberNode(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
          throw bad("attribute " + discriminator + " must be an integer");
        }
      case "boolean":
        if (value.isBoolean()) {
          return value;
        }
        throw bad("attribute " + discriminator + " must be true or false");
      case "date":
        try {
          LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
          return value;
        } catch (RuntimeException e) {
          throw bad("attribute " + discriminator + " must be an ISO date");
        }
      default:
        if (!value.isValueNode()) {
          throw bad("attribute " + discriminator + " must be a text value");
        }
        return JsonNodeFactory.instance.textNode(text);
    }
  }

  private synchronized EmulatorResponse readAttributes(String keyspace, String key, String section, String route) {
    section(section);
    EmulatedProfile profile = require(keyspace, key);
    ObjectNode out = mapper.createObjectNode();
    profile.attributes(section).forEach((d, v) -> {
      Definitions.Attribute a = definitions.attributes.get(d);
      out.set(a == null ? d : a.versionId(), v);
    });
    return EmulatorResponse.json(200, out.toString(), route);
  }

  private EmulatorResponse patchTags(EmulatorRequest r, String keyspace, String key, String section, String route) {
    if (!r.header("content-type").orElse("").startsWith("application/merge-patch+json")) {
      return problem(415, "Unsupported Media Type", "use application/merge-patch+json", route);
    }
    JsonNode body = json(r);
    synchronized (this) {
      section(section);
      EmulatedProfile profile = require(keyspace, key);
      body.fields().forEachRemaining(e -> {
        if (!definitions.tags.containsKey(e.getKey())) {
          throw bad("unknown tag " + e.getKey());
        }
      });
      Set<String> tags = profile.tags(section);
      body.fields().forEachRemaining(e -> {
        if (e.getValue().asBoolean(false)) {
          tags.add(e.getKey());
        } else {
          tags.remove(e.getKey());
        }
      });
    }
    return EmulatorResponse.empty(204, route);
  }

  private synchronized EmulatorResponse postEvents(JsonNode body, String keyspace, String key, String section, String route) {
    section(section);
    EmulatedProfile profile = require(keyspace, key);
    JsonNode items = body.path("items");
    if (!items.isArray() || items.isEmpty()) {
      throw bad("items must be a non-empty list");
    }
    for (JsonNode item : items) {
      if (!definitions.events.containsValue(item.path("version_id").asText())) {
        throw bad("unknown event version " + item.path("version_id").asText());
      }
    }
    items.forEach(profile.events::add);
    return EmulatorResponse.empty(204, route);
  }

  private synchronized EmulatorResponse deleteProfile(String keyspace, String key, String route) {
    EmulatedProfile profile = require(keyspace, key);
    profiles.remove(profile.id);
    profile.keys.forEach((ks, k) -> byKey.get(ks).remove(k));
    return EmulatorResponse.empty(204, route);
  }

  private synchronized EmulatorResponse merge(JsonNode body, String route) {
    JsonNode list = body.path("profiles");
    if (!list.isArray() || list.size() < 2) {
      throw bad("profiles must list at least two profiles");
    }
    EmulatedProfile target = null;
    List<String[]> keys = new ArrayList<>();
    for (JsonNode item : list) {
      String ks = item.path("keyspace_discriminator").asText();
      String key = item.path("profile_key").asText();
      keyspace(ks);
      validateKey(ks, key);
      keys.add(new String[] {ks, key});
      EmulatedProfile existing = find(ks, key);
      if (existing != null && target != null && existing != target) {
        for (String[] k : existing.keys.entrySet().stream().map(e -> new String[] {e.getKey(), e.getValue()}).toList()) {
          if (target.keys.containsKey(k[0]) && !target.keys.get(k[0]).equals(k[1])) {
            return problem(409, "Conflict", "profiles have different keys in keyspace " + k[0], route);
          }
        }
        absorb(target, existing);
      } else if (existing != null) {
        target = existing;
      }
    }
    if (target == null) {
      target = newProfile(keys.get(0)[0], keys.get(0)[1], null);
    }
    for (String[] k : keys) {
      if (find(k[0], k[1]) == null) {
        addKey(target, k[0], k[1]);
      }
    }
    return EmulatorResponse.empty(204, route);
  }

  private void absorb(EmulatedProfile target, EmulatedProfile other) {
    other.keys.forEach((ks, k) -> addKey(target, ks, k));
    other.attributes.forEach((s, a) -> a.forEach(target.attributes(s)::putIfAbsent));
    other.tags.forEach((s, t) -> target.tags(s).addAll(t));
    other.consents.forEach((s, c) -> c.forEach(target.consents(s)::putIfAbsent));
    target.history.addAll(other.history);
    profiles.remove(other.id);
  }

  // ---------------------------------------------------------------------------------------------
  // Consents

  private synchronized EmulatorResponse createConsent(JsonNode body, String keyspace, String key, String section, String route) {
    section(section);
    EmulatedProfile profile = require(keyspace, key);
    String topic = body.path("topic_discriminator").asText("");
    String channel = body.path("channel_discriminator").asText("");
    String type = body.path("type").asText("");
    if (!definitions.topics.containsKey(topic)) {
      throw bad("unknown topic " + topic);
    }
    if (!definitions.channels.containsKey(channel)) {
      throw bad("unknown channel " + channel);
    }
    if (!type.equals("opt-in") && !type.equals("opt-out")) {
      throw bad("type must be opt-in or opt-out");
    }
    String address = address(profile, section, channel);
    if (address == null) {
      throw bad("the profile has no " + (channel.equals(Definitions.SMS_CHANNEL) ? "mobile number" : "e-mail address")
          + " for channel " + channel);
    }
    int status = consent(profile, section, topic, channel, type, address,
        body.path("source").asText("One API"), body.path("reason").asText(""));
    return status == 409 ? problem(409, "Conflict", "consent already has type " + type, route)
        : EmulatorResponse.empty(status, route);
  }

  private String address(EmulatedProfile profile, String section, String channel) {
    String attribute = channel.equals(Definitions.SMS_CHANNEL) ? Definitions.MOBILE : Definitions.EMAIL;
    JsonNode v = profile.attributes(section).get(attribute);
    return v == null || v.asText().isBlank() ? null : v.asText();
  }

  /** Records a consent; returns 201 (new), 204 (changed) or 409 (same type). */
  int consent(EmulatedProfile profile, String section, String topic, String channel, String type,
      String address, String source, String reason) {
    Map<String, ConsentRecord> current = profile.consents(section);
    String slot = topic + "|" + channel;
    ConsentRecord before = current.get(slot);
    if (before != null && before.type().equals(type)) {
      return 409;
    }
    ConsentRecord record = new ConsentRecord(clock.instant(), section, topic, channel, type, address, source, reason);
    current.put(slot, record);
    profile.history.add(record);
    return before == null ? 201 : 204;
  }

  private synchronized EmulatorResponse listConsents(EmulatorRequest r, String keyspace, String key, String section, String route) {
    section(section);
    EmulatedProfile profile = require(keyspace, key);
    List<String> types = new ArrayList<>();
    String query = r.uri().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("consent_types=")) {
          types.add(percentDecode(pair.substring("consent_types=".length())));
        }
      }
    }
    List<ObjectNode> items = new ArrayList<>();
    for (ConsentRecord c : profile.consents(section).values()) {
      if (types.isEmpty() || types.contains(c.type())) {
        ObjectNode n = mapper.createObjectNode();
        n.put("topic_discriminator", c.topic());
        n.put("channel_discriminator", c.channel());
        n.put("type", c.type());
        n.put("source", c.source());
        n.put("reason", c.reason());
        n.put("modified_at", c.at().toString());
        items.add(n);
      }
    }
    return items(items, route);
  }

  // ---------------------------------------------------------------------------------------------
  // Email event export

  private synchronized EmulatorResponse createReport(JsonNode body, String route) {
    Instant start;
    Instant end;
    try {
      start = Instant.parse(body.path("start_at").asText());
      end = body.hasNonNull("end_at") ? Instant.parse(body.path("end_at").asText()) : clock.instant();
    } catch (RuntimeException e) {
      throw bad("start_at and end_at must be RFC 3339 times");
    }
    if (!start.isBefore(end)) {
      throw bad("start_at must be before end_at");
    }
    List<String> attributes = new ArrayList<>();
    for (JsonNode a : body.path("attributes")) {
      String d = a.isTextual() ? a.asText() : a.path("discriminator").asText();
      if (!definitions.attributes.containsKey(d)) {
        throw bad("unknown attribute " + d);
      }
      attributes.add(d);
    }
    String id = UUID.randomUUID().toString();
    reports.put(id, new Report(id, start, end, attributes, UUID.randomUUID().toString(), new int[] {0}));
    return EmulatorResponse.json(201, "{\"report_id\":\"" + id + "\"}", route);
  }

  private synchronized EmulatorResponse reportStatus(EmulatorRequest r, String id, String route) {
    Report report = reports.get(id);
    if (report == null) {
      throw notFound("report " + id + " not found");
    }
    boolean headerAuth = "header_auth=true".equals(r.uri().getRawQuery());
    ObjectNode answer = mapper.createObjectNode();
    answer.put("report_id", id);
    if (report.polls()[0]++ == 0) {
      answer.put("status", "in_progress");
      return EmulatorResponse.json(200, answer.toString(), route);
    }
    answer.put("status", "completed");
    String url = baseUri.get() + "/downloads/" + id + (headerAuth ? "" : "?auth=" + report.auth());
    answer.put("file_download_url", url);
    answer.put("file_download_url_expires_at", clock.instant().plus(Duration.ofHours(1)).toString());
    answer.put("file_expires_at", clock.instant().plus(Duration.ofDays(1)).toString());
    EmulatorResponse response = EmulatorResponse.json(200, answer.toString(), route);
    return headerAuth ? response.withHeader("x-apsis-auth", report.auth()) : response;
  }

  private EmulatorResponse download(EmulatorRequest r, String id) {
    String route = "GET /downloads/{id}";
    Report report;
    List<EmailEventRecord> rows;
    Map<Long, Map<String, String>> attributeValues = new HashMap<>();
    synchronized (this) {
      report = reports.get(id);
      if (report == null) {
        return problem(404, "Not Found", "no such file", route);
      }
      String given = r.header("x-apsis-auth").orElseGet(() -> {
        String q = r.uri().getRawQuery();
        return q != null && q.startsWith("auth=") ? q.substring(5) : "";
      });
      if (!report.auth().equals(given)) {
        return problem(403, "Forbidden", "download credential missing or wrong", route);
      }
      if (r.header("authorization").isPresent()) {
        return problem(400, "Bad Request", "downloads take no Authorization header", route);
      }
      long from = report.start().toEpochMilli();
      long to = report.end().toEpochMilli();
      rows = emailEvents.stream().filter(e -> e.serverTime() >= from && e.serverTime() < to).toList();
      for (EmailEventRecord e : rows) {
        EmulatedProfile p = profiles.get(e.profileId());
        Map<String, String> values = new HashMap<>();
        for (String a : report.attributes()) {
          JsonNode v = p == null ? null : p.attributes(e.section()).get(a);
          values.put(a, v == null ? "" : v.asText());
        }
        attributeValues.put(e.profileId(), values);
      }
    }
    List<String> header = new ArrayList<>(List.of("activity_id", "split_id", "activity_name", "split_activity_name",
        "sender", "subject", "address", "variation", "type", "correlation_id", "event_time", "server_time", "device"));
    header.addAll(report.attributes());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(CsvRows.format(header).getBytes(StandardCharsets.UTF_8));
      for (EmailEventRecord e : rows) {
        List<String> line = new ArrayList<>(List.of(e.activityId(), e.activityId() + "-a", e.activityName(),
            e.activityName(), e.sender(), e.subject(), e.address(), "A", e.type(), e.correlationId(),
            Long.toString(e.eventTime()), Long.toString(e.serverTime()), "desktop"));
        Map<String, String> values = attributeValues.getOrDefault(e.profileId(), Map.of());
        for (String a : report.attributes()) {
          line.add(values.getOrDefault(a, ""));
        }
        gz.write(CsvRows.format(line).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new EmulatorResponse(200, Map.of("Content-Type", "application/gzip"), bytes.toByteArray(), route);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for the facade

  /** A snapshot of a profile. */
  public synchronized java.util.Optional<ProfileView> view(String keyspace, String key) {
    EmulatedProfile p = find(keyspace, key);
    if (p == null) {
      return java.util.Optional.empty();
    }
    Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
    p.attributes.forEach((s, a) -> {
      Map<String, Object> values = new LinkedHashMap<>();
      a.forEach((d, v) -> values.put(d, v.isIntegralNumber() ? (Object) v.longValue() : v.isNumber() ? (Object) v.doubleValue() : v.isBoolean() ? (Object) v.booleanValue() : v.asText()));
      attributes.put(s, values);
    });
    Map<String, Set<String>> tags = new LinkedHashMap<>();
    p.tags.forEach((s, t) -> tags.put(s, Set.copyOf(t)));
    List<ConsentRecord> consents = new ArrayList<>();
    p.consents.values().forEach(m -> consents.addAll(m.values()));
    return java.util.Optional.of(new ProfileView(Map.copyOf(p.keys), attributes, tags, consents,
        List.copyOf(p.history), p.events.size()));
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
    java.util.SplittableRandom random = new java.util.SplittableRandom(c.seed());
    Instant at = c.sentAt() != null ? c.sentAt() : clock.instant();
    long base = at.toEpochMilli();
    String activity = "act-" + Long.toHexString(random.nextLong() & 0xffffffffL);
    Map<String, Integer> counts = new java.util.TreeMap<>();
    List<String> unsubscribed = new ArrayList<>();
    List<EmailEventRecord> rows = new ArrayList<>();
    int recipient = 0;
    for (EmulatedProfile p : profilesIn(c.section())) {
      ConsentRecord consent = p.consents(c.section()).get(c.topic() + "|" + Definitions.EMAIL_CHANNEL);
      String address = address(p, c.section(), Definitions.EMAIL_CHANNEL);
      if (consent == null || !(consent.type().equals("opt-in") || consent.type().equals("confirmed-opt-in"))
          || address == null || !EMAIL.matcher(address).matches()) {
        continue;
      }
      long offset = recipient++;
      event(rows, counts, c, activity, address, "SENT", base + offset, p, random);
      if (random.nextDouble() < c.bounceShare()) {
        event(rows, counts, c, activity, address, "BOUNCED", base + 2_000 + offset, p, random);
        continue;
      }
      event(rows, counts, c, activity, address, "DELIVERED", base + 1_000 + offset, p, random);
      if (random.nextDouble() < c.openShare()) {
        event(rows, counts, c, activity, address, "OPENED", base + 3_600_000 + offset, p, random);
        if (random.nextDouble() < c.clickShare()) {
          event(rows, counts, c, activity, address, "CLICKED", base + 3_630_000 + offset, p, random);
        }
      }
      if (random.nextDouble() < c.unsubscribeShare()) {
        event(rows, counts, c, activity, address, "UNSUBSCRIBED", base + 3_660_000 + offset, p, random);
        consent(p, c.section(), c.topic(), Definitions.EMAIL_CHANNEL, "opt-out", address, "Email unsubscribe",
            "Unsubscribed from " + c.subject());
        unsubscribed.add(address);
      }
    }
    emailEvents.addAll(rows);
    return new CampaignResult(activity, counts, rows.size(), unsubscribed);
  }

  private void event(List<EmailEventRecord> rows, Map<String, Integer> counts, Campaign c, String activity,
      String address, String type, long time, EmulatedProfile p, java.util.SplittableRandom random) {
    // Some opens carry no client time (event_time 0): consumers fall back to server_time.
    long eventTime = type.equals("OPENED") && random.nextInt(10) == 0 ? 0 : time;
    EmailEventRecord record = new EmailEventRecord(activity, c.activityName(), c.subject(), "news@example.com",
        address, type, UUID.randomUUID().toString(), eventTime, time, p.id, c.section());
    rows.add(record);
    if (random.nextDouble() < c.duplicateShare()) {
      rows.add(record);
    }
    counts.merge(type, 1, Integer::sum);
  }

  synchronized List<EmulatedProfile> profilesIn(String section) {
    return profiles.values().stream().filter(p -> p.attributes.containsKey(section) || p.consents.containsKey(section))
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

  private JsonNode json(EmulatorRequest r) {
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

  private EmulatorResponse items(List<ObjectNode> items, String route) {
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
