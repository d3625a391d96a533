package io.crmsync.testkit.internal.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The email event export: report requests, their status (once "in progress", then completed with
 * a download URL) and the gzip CSV download with its credential in the query or a header. Holds
 * the service's lock while it reads shared state. Package-private.
 */
final class ReportDesk {

    private record Report(String id, Instant start, Instant end, List<String> attributes, String auth, int[] polls) {}

    private final ApsisService service;
    private final Map<String, Report> reports = new HashMap<>();

    ReportDesk(ApsisService service) {
        this.service = service;
    }

    EmulatorResponse create(JsonNode body, String route) {
        synchronized (service) {
            Instant start;
            Instant end;
            try {
                start = Instant.parse(body.path("start_at").asText());
                end = body.hasNonNull("end_at")
                        ? Instant.parse(body.path("end_at").asText())
                        : service.clock.instant();
            } catch (RuntimeException e) {
                throw ApsisService.bad("start_at and end_at must be RFC 3339 times");
            }
            if (!start.isBefore(end)) {
                throw ApsisService.bad("start_at must be before end_at");
            }
            List<String> attributes = new ArrayList<>();
            for (JsonNode a : body.path("attributes")) {
                String d = a.isTextual() ? a.asText() : a.path("discriminator").asText();
                if (!service.definitions.attributes.containsKey(d)) {
                    throw ApsisService.bad("unknown attribute " + d);
                }
                attributes.add(d);
            }
            String id = UUID.randomUUID().toString();
            reports.put(
                    id, new Report(id, start, end, attributes, UUID.randomUUID().toString(), new int[] {0}));
            return EmulatorResponse.json(201, "{\"report_id\":\"" + id + "\"}", route);
        }
    }

    EmulatorResponse status(EmulatorRequest r, String id, String route) {
        synchronized (service) {
            Report report = reports.get(id);
            if (report == null) {
                throw ApsisService.notFound("report " + id + " not found");
            }
            boolean headerAuth = "header_auth=true".equals(r.uri().getRawQuery());
            ObjectNode answer = service.mapper.createObjectNode();
            answer.put("report_id", id);
            if (report.polls()[0]++ == 0) {
                answer.put("status", "in_progress");
                return EmulatorResponse.json(200, answer.toString(), route);
            }
            answer.put("status", "completed");
            String url = service.base() + "/downloads/" + id + (headerAuth ? "" : "?auth=" + report.auth());
            answer.put("file_download_url", url);
            answer.put(
                    "file_download_url_expires_at",
                    service.clock.instant().plus(Duration.ofHours(1)).toString());
            answer.put(
                    "file_expires_at",
                    service.clock.instant().plus(Duration.ofDays(1)).toString());
            EmulatorResponse response = EmulatorResponse.json(200, answer.toString(), route);
            return headerAuth ? response.withHeader("x-apsis-auth", report.auth()) : response;
        }
    }

    /** Whether this account handed out the download id. */
    boolean knows(String id) {
        synchronized (service) {
            return reports.containsKey(id);
        }
    }

    EmulatorResponse download(EmulatorRequest r, String id) {
        String route = "GET /downloads/{id}";
        Report report;
        List<EmailEventRecord> rows;
        Map<Long, Map<String, String>> attributeValues = new HashMap<>();
        synchronized (service) {
            report = reports.get(id);
            if (report == null) {
                return service.problem(404, "Not Found", "no such file", route);
            }
            String given = r.header("x-apsis-auth").orElseGet(() -> {
                String q = r.uri().getRawQuery();
                return q != null && q.startsWith("auth=") ? q.substring(5) : "";
            });
            if (!report.auth().equals(given)) {
                return service.problem(403, "Forbidden", "download credential missing or wrong", route);
            }
            if (r.header("authorization").isPresent()) {
                return service.problem(400, "Bad Request", "downloads take no Authorization header", route);
            }
            long from = report.start().toEpochMilli();
            long to = report.end().toEpochMilli();
            rows = service.emailEvents.stream()
                    .filter(e -> e.serverTime() >= from && e.serverTime() < to)
                    .toList();
            for (EmailEventRecord e : rows) {
                EmulatedProfile p = service.profiles.get(e.profileId());
                Map<String, String> values = new HashMap<>();
                for (String a : report.attributes()) {
                    JsonNode v = p == null ? null : p.attributes(e.section()).get(a);
                    values.put(a, v == null ? "" : v.asText());
                }
                attributeValues.put(e.profileId(), values);
            }
        }
        List<String> header = new ArrayList<>(List.of(
                "activity_id",
                "split_id",
                "activity_name",
                "split_activity_name",
                "sender",
                "subject",
                "address",
                "variation",
                "type",
                "correlation_id",
                "event_time",
                "server_time",
                "device"));
        header.addAll(report.attributes());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(CsvRows.format(header).getBytes(StandardCharsets.UTF_8));
            for (EmailEventRecord e : rows) {
                List<String> line = new ArrayList<>(List.of(
                        e.activityId(),
                        e.activityId() + "-a",
                        e.activityName(),
                        e.activityName(),
                        e.sender(),
                        e.subject(),
                        e.address(),
                        "A",
                        e.type(),
                        e.correlationId(),
                        Long.toString(e.eventTime()),
                        Long.toString(e.serverTime()),
                        "desktop"));
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
}
