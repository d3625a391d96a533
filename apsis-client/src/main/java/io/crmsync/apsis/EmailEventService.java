package io.crmsync.apsis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.apsis.error.ApsisException;
import io.crmsync.apsis.error.ApsisTransportException;
import io.crmsync.apsis.export.EmailEventReader;
import io.crmsync.apsis.export.EmailReportStatus;
import io.crmsync.apsis.internal.Discriminators;
import io.crmsync.client.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The email event export: opens, clicks, bounces, unsubscribes and the rest for a time window.
 * Request a report, poll until it is completed, then stream its gzip CSV.
 *
 * <p>The status is read with {@code header_auth=true}, so the download credential arrives as an
 * {@code x-apsis-auth} response header and is sent back as a request header on the download
 * instead of sitting in the URL. The names of the request properties that add attribute columns
 * are not documented publicly; this client sends {@code attributes} as a list of discriminators.
 *
 * <pre>{@code
 * try (EmailEventReader events = apsis.emailEvents().export(from, to, List.of())) {
 *   events.forEachRemaining(e -> System.out.println(e.type()));
 * }
 * }</pre>
 */
public final class EmailEventService {

    private final ApsisTransport transport;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration firstPoll;
    private final Duration timeout;

    private final boolean allowInsecureHttp;

    EmailEventService(
            ApsisTransport transport,
            ObjectMapper mapper,
            Clock clock,
            Sleeper sleeper,
            Duration firstPoll,
            Duration timeout,
            boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
        this.transport = transport;
        this.mapper = mapper;
        this.clock = clock;
        this.sleeper = sleeper;
        this.firstPoll = firstPoll;
        this.timeout = timeout;
    }

    /**
     * Requests a report of events from {@code start} (inclusive) to {@code end} ({@code POST
     * /emails/reports}); returns its id.
     *
     * @param attributes attribute discriminators to add as columns (e.g. the CRM id), may be empty
     */
    public String requestReport(Instant start, Instant end, List<String> attributes) {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("report window start " + start + " is not before end " + end);
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("start_at", start.toString());
        body.put("end_at", end.toString());
        if (!attributes.isEmpty()) {
            ArrayNode list = body.putArray("attributes");
            attributes.forEach(a -> list.add(Discriminators.require("attribute", a)));
        }
        ApsisRequest r;
        try {
            r = ApsisRequest.builder("POST", "/emails/reports")
                    .json(mapper.writeValueAsBytes(body))
                    .kind(RateLimiter.Kind.EXPORT_CREATE)
                    .idempotent()
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode json = transport.object(transport.send(r), r);
        String id = json.path("report_id").asText("");
        if (id.isEmpty()) {
            throw new ApsisTransportException("report answer has no report_id", r.method, r.logPath, "-", false, null);
        }
        return id;
    }

    /** Reads a report's status ({@code GET /emails/reports/{id}?header_auth=true}). */
    public EmailReportStatus status(String reportId) {
        ApsisRequest r = ApsisRequest.builder("GET", "/emails/reports/{id}", reportId)
                .query("header_auth", "true")
                .idempotent()
                .build();
        ApsisResponse response = transport.send(r);
        JsonNode json = transport.object(response, r);
        Optional<URI> url = Optional.of(json.path("file_download_url").asText(""))
                .filter(s -> !s.isEmpty())
                .map(s -> ApsisUrls.fileUrl(s, "file_download_url", allowInsecureHttp, r));
        return new EmailReportStatus(
                reportId,
                json.path("status").asText(""),
                url,
                response.headers().firstValue("x-apsis-auth"));
    }

    /** Polls until the report is completed, with a growing interval. */
    public EmailReportStatus await(String reportId) {
        Instant deadline = clock.instant().plus(timeout);
        Duration wait = firstPoll;
        while (true) {
            EmailReportStatus status = status(reportId);
            if (status.isCompleted()) {
                return status;
            }
            if (status.isFailed()) {
                throw new ApsisTransportException(
                        "email report " + reportId + " failed", "GET", "/emails/reports/" + reportId, "-", false, null);
            }
            if (clock.instant().plus(wait).isAfter(deadline)) {
                throw new ApsisTransportException(
                        "email report " + reportId + " not ready within " + timeout,
                        "GET",
                        "/emails/reports/" + reportId,
                        "-",
                        false,
                        null);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApsisTransportException("interrupted", "GET", "/emails/reports/" + reportId, "-", false, e);
            }
            Duration doubled = wait.multipliedBy(2);
            wait = doubled.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : doubled;
        }
    }

    /**
     * Downloads a completed report's file and returns a streaming reader (close it). No bearer
     * token is sent; the {@code x-apsis-auth} credential is, when there is one.
     */
    public EmailEventReader download(EmailReportStatus report) {
        URI url = report.downloadUrl()
                .orElseThrow(
                        () -> new IllegalArgumentException("report " + report.reportId() + " has no download URL yet"));
        HttpRequest.Builder b = HttpRequest.newBuilder(url).GET().timeout(transport.requestTimeout());
        report.downloadAuth().ifPresent(auth -> b.header("x-apsis-auth", auth));
        String path = "/emails/reports/" + report.reportId() + "/file";
        HttpResponse<InputStream> response;
        try {
            response = transport.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApsisTransportException(
                    "download failed: " + e.getClass().getSimpleName(), "GET", path, "-", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApsisTransportException("interrupted", "GET", path, "-", false, e);
        }
        if (response.statusCode() != 200) {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // nothing to do
            }
            throw new ApsisException(response.statusCode(), "download refused", null, "GET", path, "-", null);
        }
        try {
            return new EmailEventReader(response.body());
        } catch (IOException e) {
            throw new ApsisTransportException(
                    "export file is not a readable CSV: " + e.getMessage(), "GET", path, "-", false, e);
        }
    }

    /** Requests, awaits and downloads the events of a window in one call. */
    public EmailEventReader export(Instant start, Instant end, List<String> attributes) {
        return download(await(requestReport(start, end, attributes)));
    }
}
