package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.apsis.ConsentRecord;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The emulated v2 CSV imports: creation with the 3-in-flight limit, an upload URL served by the
 * emulator that checks the signed form fields like a storage host, status progression, and the
 * CSV applied through the import's mappings with an error report. State is guarded by the
 * service's lock. Package-private.
 */
final class ImportDesk {

    private static final class ImportJob {
        final String id;
        final String section;
        final JsonNode mapping;
        final Map<String, String> uploadFields = new LinkedHashMap<>();
        String status = "waiting_for_file";
        String csv;
        ObjectNode result;

        ImportJob(String id, String section, JsonNode mapping) {
            this.id = id;
            this.section = section;
            this.mapping = mapping;
        }
    }

    private final ApsisService service;
    private final Map<String, ImportJob> imports = new LinkedHashMap<>();

    ImportDesk(ApsisService service) {
        this.service = service;
    }

    /** Imports not yet completed or failed (waiting for a file, queued or in progress). */
    int pending() {
        synchronized (service) {
            return (int) imports.values().stream()
                    .filter(i -> !i.status.equals("completed") && !i.status.equals("error"))
                    .count();
        }
    }

    EmulatorResponse create(JsonNode body, String section, String route) {
        synchronized (service) {
            return createLocked(body, section, route);
        }
    }

    private EmulatorResponse createLocked(JsonNode body, String section, String route) {
        service.section(section);
        JsonNode keyspace = body.path("keyspace_mapping");
        service.keyspace(keyspace.path("keyspace_discriminator").asText(""));
        if (keyspace.path("field_selector").asText("").isEmpty()) {
            throw ApsisService.bad("keyspace_mapping.field_selector is required");
        }
        for (JsonNode m : body.path("attribute_mappings")) {
            if (service.definitions.byVersion(m.path("attribute_version_id").asText()) == null) {
                throw ApsisService.bad("unknown attribute version "
                        + m.path("attribute_version_id").asText());
            }
        }
        for (JsonNode m : body.path("consent_mappings")) {
            for (JsonNode c : m.path("consents")) {
                if (!service.definitions.topics.containsKey(
                                c.path("topic_discriminator").asText())
                        || !service.definitions.channels.containsKey(
                                c.path("channel_discriminator").asText())) {
                    throw ApsisService.bad("unknown topic or channel in consent_mappings");
                }
            }
        }
        long pending = imports.values().stream()
                .filter(i -> !i.status.equals("completed") && !i.status.equals("error"))
                .count();
        if (pending >= service.currentLimits().importsInFlight()) {
            EmulatorResponse r = service.problem(429, "Too Many Requests", "too many pending imports", "429 " + route);
            return service.currentLimits().retryAfter() ? r.withHeader("Retry-After", "5") : r;
        }
        String id = UUID.randomUUID().toString();
        ImportJob job = new ImportJob(id, section, body);
        job.uploadFields.put("key", "imports/" + id + ".csv");
        job.uploadFields.put(
                "policy", Base64.getEncoder().encodeToString(("policy-" + id).getBytes(StandardCharsets.UTF_8)));
        job.uploadFields.put("x-amz-signature", UUID.randomUUID().toString().replace("-", ""));
        imports.put(id, job);
        ObjectNode answer = service.mapper().createObjectNode();
        answer.put("import_id", id);
        answer.put("file_upload_url", service.base() + "/uploads/" + id);
        answer.put(
                "file_upload_url_expires_at",
                service.clock().instant().plus(Duration.ofHours(1)).toString());
        ObjectNode fields = answer.putObject("file_upload_body");
        job.uploadFields.forEach(fields::put);
        return EmulatorResponse.json(201, answer.toString(), route);
    }

    /** Whether this account handed out the upload id. */
    boolean knows(String id) {
        synchronized (service) {
            return imports.containsKey(id);
        }
    }

    EmulatorResponse upload(EmulatorRequest r, String id) {
        String route = "POST /uploads/{id}";
        if (r.header("authorization").isPresent()) {
            return service.problem(400, "Bad Request", "storage uploads take no Authorization header", route);
        }
        String type = r.header("content-type").orElse("");
        int at = type.indexOf("boundary=");
        if (!type.startsWith("multipart/form-data") || at < 0) {
            return service.problem(400, "Bad Request", "upload must be multipart/form-data", route);
        }
        Map<String, String> parts =
                Multipart.parse(r.body(), type.substring(at + 9).replace("\"", ""));
        synchronized (service) {
            ImportJob job = imports.get(id);
            if (job == null) {
                return service.problem(404, "Not Found", "no such upload", route);
            }
            for (Map.Entry<String, String> f : job.uploadFields.entrySet()) {
                if (!f.getValue().equals(parts.get(f.getKey()))) {
                    return service.problem(
                            403, "Forbidden", "upload form field " + f.getKey() + " missing or wrong", route);
                }
            }
            if (!parts.containsKey("file")) {
                return service.problem(400, "Bad Request", "upload has no file part", route);
            }
            if (!job.status.equals("waiting_for_file")) {
                return service.problem(409, "Conflict", "file already uploaded", route);
            }
            job.csv = parts.get("file");
            job.status = "queued";
        }
        return EmulatorResponse.empty(204, route);
    }

    EmulatorResponse status(String section, String id, String route) {
        synchronized (service) {
            return statusLocked(section, id, route);
        }
    }

    private EmulatorResponse statusLocked(String section, String id, String route) {
        ImportJob job = imports.get(id);
        if (job == null || !job.section.equals(section)) {
            throw ApsisService.notFound("import " + id + " not found");
        }
        if (job.status.equals("queued")) {
            job.status = "in_progress";
        } else if (job.status.equals("in_progress")) {
            apply(job);
        }
        ObjectNode answer = service.mapper().createObjectNode();
        ObjectNode result =
                job.result != null ? job.result.deepCopy() : service.mapper().createObjectNode();
        result.put("status", job.status);
        answer.set("result", result);
        return EmulatorResponse.json(200, answer.toString(), route);
    }

    private void apply(ImportJob job) {
        ObjectNode result = service.mapper().createObjectNode();
        ArrayNode errors = service.mapper().createArrayNode();
        int processed = 0;
        int failed = 0;
        try {
            CsvRows csv = new CsvRows(new StringReader(job.csv));
            List<String> header = csv.next();
            if (header == null) {
                throw new IOException("the file is empty");
            }
            String keyspace = job.mapping
                    .path("keyspace_mapping")
                    .path("keyspace_discriminator")
                    .asText();
            int keyColumn = header.indexOf(
                    job.mapping.path("keyspace_mapping").path("field_selector").asText());
            if (keyColumn < 0) {
                throw new IOException("the key column is missing from the file");
            }
            boolean update =
                    job.mapping.path("options").path("update_existing_profiles").asBoolean(true);
            int rowNo = 0;
            List<String> row;
            while ((row = csv.next()) != null) {
                rowNo++;
                try {
                    applyRow(job, header, row, keyspace, keyColumn, update);
                    processed++;
                } catch (ApsisService.BadRequest e) {
                    failed++;
                    errors.addObject().put("row", rowNo).put("reason", e.getMessage());
                }
            }
            job.status = "completed";
        } catch (IOException e) {
            job.status = "error";
            errors.addObject().put("row", 0).put("reason", e.getMessage());
        }
        result.put("rows_processed", processed);
        result.put("rows_failed", failed);
        result.set("errors", errors);
        job.result = result;
        job.csv = null;
    }

    private void applyRow(
            ImportJob job, List<String> header, List<String> row, String keyspace, int keyColumn, boolean update) {
        if (row.size() != header.size()) {
            throw ApsisService.bad("row has " + row.size() + " fields, header has " + header.size());
        }
        String key = row.get(keyColumn);
        service.validateKey(keyspace, key);
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (JsonNode m : job.mapping.path("attribute_mappings")) {
            int column = header.indexOf(m.path("field_selector").asText());
            if (column < 0) {
                throw ApsisService.bad("column " + m.path("field_selector").asText() + " is missing");
            }
            DefinitionRegistry.Attribute a =
                    service.definitions.byVersion(m.path("attribute_version_id").asText());
            String cell = row.get(column);
            JsonNode value = cell.isEmpty() ? null : typed(a, cell);
            values.put(a.discriminator(), value == null ? null : service.checkAttribute(a.discriminator(), value));
        }
        EmulatedProfile profile = service.find(keyspace, key);
        if (profile != null && !update) {
            return;
        }
        if (profile == null) {
            profile = service.newProfile(keyspace, key, job.section);
        }
        Map<String, JsonNode> attributes = profile.attributes(job.section);
        values.forEach((d, v) -> {
            if (v != null) {
                attributes.put(d, v);
            }
        });
        for (JsonNode m : job.mapping.path("consent_mappings")) {
            int addressColumn = header.indexOf(m.path("address_field_selector").asText());
            for (JsonNode c : m.path("consents")) {
                int column = header.indexOf(c.path("field_selector").asText());
                if (column < 0 || addressColumn < 0) {
                    continue;
                }
                String cell = row.get(column).trim().toLowerCase(Locale.ROOT);
                if (!Set.of("1", "true", "yes").contains(cell)) {
                    continue;
                }
                String address = row.get(addressColumn);
                String channel = c.path("channel_discriminator").asText();
                boolean validAddress = channel.equals(Definitions.SMS_CHANNEL)
                        ? ApsisService.PHONE.matcher(address).matches()
                        : ApsisService.EMAIL.matcher(address).matches();
                if (!validAddress) {
                    continue;
                }
                String type = c.path("type").asText("opt-in");
                ConsentRecord current = profile.consents(job.section)
                        .get(c.path("topic_discriminator").asText() + "|" + channel);
                if (type.equals("opt-in")
                        && current != null
                        && current.type().equals("opt-out")
                        && !c.path("resubscribe_if_opted_out").asBoolean(false)) {
                    continue;
                }
                service.consent(
                        profile,
                        job.section,
                        c.path("topic_discriminator").asText(),
                        channel,
                        type,
                        address,
                        "Import",
                        "CSV import");
            }
        }
    }

    private static JsonNode typed(DefinitionRegistry.Attribute a, String cell) {
        switch (a.type()) {
            case "integer":
                try {
                    return JsonNodeFactory.instance.numberNode(Long.parseLong(cell.trim()));
                } catch (NumberFormatException e) {
                    throw ApsisService.bad("attribute " + a.discriminator() + " must be an integer");
                }
            case "boolean":
                String b = cell.trim().toLowerCase(Locale.ROOT);
                if (b.equals("true") || b.equals("1")) {
                    return JsonNodeFactory.instance.booleanNode(true);
                }
                if (b.equals("false") || b.equals("0")) {
                    return JsonNodeFactory.instance.booleanNode(false);
                }
                throw ApsisService.bad("attribute " + a.discriminator() + " must be true or false");
            default:
                return JsonNodeFactory.instance.textNode(cell);
        }
    }
}
