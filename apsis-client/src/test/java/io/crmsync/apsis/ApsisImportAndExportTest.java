package io.crmsync.apsis;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.crmsync.apsis.consent.ConsentType;
import io.crmsync.apsis.error.ApsisTransportException;
import io.crmsync.apsis.export.EmailEvent;
import io.crmsync.apsis.export.EmailEventReader;
import io.crmsync.apsis.export.EmailEventType;
import io.crmsync.apsis.imports.ImportOutcome;
import io.crmsync.apsis.imports.ImportRequest;
import io.crmsync.apsis.imports.ImportStatus;
import io.crmsync.apsis.internal.CsvReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ApsisImportAndExportTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    static WireMockExtension wm = ApsisTestKit.server();

    static final String SEC = "com.apsis1.sections.default";

    private final ApsisTestKit.TestClock clock = new ApsisTestKit.TestClock();
    private final ApsisTestKit.RecordingSleeper sleeper = new ApsisTestKit.RecordingSleeper(clock);

    @BeforeEach
    void token() {
        ApsisTestKit.stubToken(wm, "tok");
    }

    private void importStubs(String id) {
        wm.stubFor(post(urlEqualTo("/v2/audience/sections/" + SEC + "/imports"))
                .inScenario("ids")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withBody("{\"import_id\":\"" + id + "\","
                                + "\"file_upload_url\":\"http://127.0.0.1:" + wm.getPort() + "/upload-bucket\","
                                + "\"file_upload_url_expires_at\":\"2026-11-28T13:00:00Z\","
                                + "\"file_upload_body\":{\"key\":\"imports/" + id
                                + ".csv\",\"policy\":\"cG9saWN5\",\"x-amz-signature\":\"abc\"}}")));
        wm.stubFor(post(urlEqualTo("/upload-bucket")).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void importCreatesUploadsMultipartWithoutTokenAndPollsToCompletion() throws Exception {
        importStubs("imp-1");
        String status = "/audience/sections/" + SEC + "/imports/imp-1";
        wm.stubFor(get(urlEqualTo(status))
                .inScenario("st")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withBody("{\"result\":{\"status\":\"queued\"}}"))
                .willSetStateTo("p"));
        wm.stubFor(get(urlEqualTo(status))
                .inScenario("st")
                .whenScenarioStateIs("p")
                .willReturn(aResponse().withStatus(200).withBody("{\"result\":{\"status\":\"in_progress\"}}"))
                .willSetStateTo("done"));
        wm.stubFor(get(urlEqualTo(status))
                .inScenario("st")
                .whenScenarioStateIs("done")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"result\":{\"status\":\"completed\",\"processed\":2}}")));
        ApsisClient client = ApsisTestKit.client(wm, clock, sleeper)
                .importPollInterval(Duration.ofSeconds(1))
                .build();
        ImportRequest request = ImportRequest.builder("com.apsis1.keyspaces.crm-id", "crm_id")
                .attribute("email", "1201")
                .attribute("first_name", "1202")
                .consent(
                        "email",
                        "newsletter",
                        "com.apsis1.channels.email",
                        "usercreated.topics.news-ab",
                        ConsentType.OPT_IN)
                .build();

        List<ImportOutcome> outcomes = client.imports()
                .run(
                        SEC,
                        request,
                        List.of("crm_id", "email", "first_name", "newsletter"),
                        List.of(
                                        List.of("1", "anna@example.com", "Anna, \"Annie\"", "1"),
                                        List.of("2", "bo@example.com", "Zoë", "0"))
                                .iterator());

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(ImportStatus.COMPLETED);
            assertThat(o.rows()).isEqualTo(2);
            assertThat(o.result().path("processed").asInt()).isEqualTo(2);
        });
        wm.verify(postRequestedFor(urlEqualTo("/v2/audience/sections/" + SEC + "/imports"))
                .withRequestBody(equalToJson("""
            {"keyspace_mapping":{"keyspace_discriminator":"com.apsis1.keyspaces.crm-id","field_selector":"crm_id"},
             "options":{"update_existing_profiles":true,"clear_existing_attributes":false},
             "attribute_mappings":[{"field_selector":"email","attribute_version_id":"1201"},
                                   {"field_selector":"first_name","attribute_version_id":"1202"}],
             "consent_mappings":[{"address_field_selector":"email","consents":[
               {"field_selector":"newsletter","channel_discriminator":"com.apsis1.channels.email",
                "topic_discriminator":"usercreated.topics.news-ab","type":"opt-in","resubscribe_if_opted_out":true}]}]}
            """)));
        ServeEvent upload = wm.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/upload-bucket"))
                .findFirst()
                .orElseThrow();
        assertThat(upload.getRequest().getHeader("Authorization")).isNull();
        assertThat(upload.getRequest().getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
        String body = upload.getRequest().getBodyAsString();
        assertThat(body.indexOf("name=\"key\"")).isLessThan(body.indexOf("name=\"policy\""));
        assertThat(body.indexOf("name=\"x-amz-signature\"")).isLessThan(body.indexOf("name=\"file\""));
        assertThat(body)
                .contains("crm_id,email,first_name,newsletter\r\n"
                        + "1,anna@example.com,\"Anna, \"\"Annie\"\"\",1\r\n2,bo@example.com,Zoë,0\r\n");
        assertThat(sleeper.delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void largeImportsAreSplitIntoFilesBelowTheLimitWithAtMostThreeInFlight() {
        importStubs("imp");
        wm.stubFor(get(urlPathMatching("/audience/sections/.*/imports/imp"))
                .willReturn(aResponse().withStatus(200).withBody("{\"result\":{\"status\":\"completed\"}}")));
        ApsisClient client = ApsisTestKit.client(wm, clock, sleeper)
                .importMaxFileBytes(2048)
                .rateLimits(RateLimits.defaults().withImports(100, 3))
                .build();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(List.of(Integer.toString(i), "contact" + i + "@example.com"));
        }

        List<ImportOutcome> outcomes = client.imports()
                .run(
                        SEC,
                        ImportRequest.builder("com.apsis1.keyspaces.crm-id", "crm_id")
                                .attribute("email", "1201")
                                .build(),
                        List.of("crm_id", "email"),
                        rows.iterator());

        assertThat(outcomes.size()).isGreaterThan(3);
        assertThat(outcomes.stream().mapToInt(ImportOutcome::rows).sum()).isEqualTo(400);
        List<ServeEvent> uploads = wm.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/upload-bucket"))
                .toList();
        assertThat(uploads).hasSize(outcomes.size()).allSatisfy(e -> {
            String csv = e.getRequest().getBodyAsString();
            int start = csv.indexOf("crm_id,email");
            int end = csv.lastIndexOf("\r\n--");
            assertThat(end - start).isLessThanOrEqualTo(2048);
        });
        // Imports are created in order, and the 4th is created only after one status poll said completed.
        // WireMock lists newest first; reversing keeps requests logged in the same millisecond in order.
        List<ServeEvent> chronological = new ArrayList<>(wm.getAllServeEvents());
        Collections.reverse(chronological);
        List<String> sequence = chronological.stream()
                .sorted((a, b) ->
                        a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()))
                .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
                .filter(s -> s.contains("/imports"))
                .toList();
        int fourthCreate = indexOfNth(sequence, "POST", 4);
        assertThat(sequence.subList(0, fourthCreate)).anyMatch(s -> s.startsWith("GET"));
    }

    private static int indexOfNth(List<String> list, String prefix, int n) {
        int seen = 0;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).startsWith(prefix) && ++seen == n) {
                return i;
            }
        }
        return list.size();
    }

    @Test
    void anImportFileTakesRowsUntilItsLimitAndRefusesARowNoFileCouldHold() throws Exception {
        ApsisClient client = ApsisTestKit.client(wm, clock, sleeper)
                .importDirectory(tmp.resolve("imports"))
                .build();
        ImportFile file = client.imports().openFile(List.of("crm_id", "email"), 200);
        int taken = 0;
        while (file.append(List.of(Integer.toString(taken), "c" + taken + "@example.com"))) {
            taken++;
        }
        assertThat(taken).isPositive();
        assertThat(file.rows()).isEqualTo(taken);
        assertThat(file.bytes()).isLessThanOrEqualTo(200);
        assertThatThrownBy(() -> file.append(List.of("1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 1 fields, the header has 2");
        file.close();
        assertThat(Files.list(tmp.resolve("imports")).toList())
                .as("closed: deleted")
                .isEmpty();
        assertThatThrownBy(() -> file.append(List.of("1", "x"))).isInstanceOf(IllegalStateException.class);

        ImportFile fresh = client.imports().openFile(List.of("crm_id", "email"), 200);
        assertThatThrownBy(() -> fresh.append(List.of("1", "x".repeat(300))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one import row alone exceeds the file size limit of 200");
        fresh.close();
    }

    @Test
    void emailExportIsRequestedPolledAndStreamedFromGzipWithHeaderAuth() throws Exception {
        wm.stubFor(post(urlEqualTo("/emails/reports"))
                .withRequestBody(
                        equalToJson("{\"start_at\":\"2026-11-27T00:00:00Z\",\"end_at\":\"2026-11-28T00:00:00Z\","
                                + "\"attributes\":[\"com.apsis1.attributes.crmid\"]}"))
                .willReturn(aResponse().withStatus(201).withBody("{\"report_id\":\"rep-9\"}")));
        wm.stubFor(get(urlEqualTo("/emails/reports/rep-9?header_auth=true"))
                .inScenario("r")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withBody("{\"status\":\"in_progress\"}"))
                .willSetStateTo("ok"));
        wm.stubFor(get(urlEqualTo("/emails/reports/rep-9?header_auth=true"))
                .inScenario("r")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("x-apsis-auth", "dl-credential")
                        .withBody("{\"status\":\"completed\",\"file_download_url\":\"http://127.0.0.1:" + wm.getPort()
                                + "/files/rep-9.csv.gz\",\"file_download_url_expires_at\":\"2026-11-28T13:00:00Z\"}")));
        String csv =
                "activity_id,activity_name,subject,address,type,correlation_id,event_time,server_time,com.apsis1.attributes.crmid\n"
                        + "a1,Newsletter,\"Hello, world\",anna@example.com,SENT,c-1,1732700000000,1732700000001,11\n"
                        + "a1,Newsletter,\"Hello, world\",anna@example.com,OPENED,c-2,0,1732700005000,11\n"
                        + "a1,Newsletter,\"Hello, world\",anna@example.com,SOMETHING_NEW,c-3,1,1,11\n"
                        + "a1,Newsletter,\"Hello, world\",bo@example.com,UNSUBSCRIBED,c-4,1732700009000,1732700009000,\n";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(csv.getBytes(StandardCharsets.UTF_8));
        }
        wm.stubFor(get(urlEqualTo("/files/rep-9.csv.gz"))
                .withHeader("x-apsis-auth", equalTo("dl-credential"))
                .withHeader("Authorization", absent())
                .willReturn(aResponse().withStatus(200).withBody(gz.toByteArray())));
        ApsisClient client = ApsisTestKit.client(wm, clock, sleeper).build();

        List<EmailEvent> events = new ArrayList<>();
        try (EmailEventReader reader = client.emailEvents()
                .export(
                        Instant.parse("2026-11-27T00:00:00Z"),
                        Instant.parse("2026-11-28T00:00:00Z"),
                        List.of("com.apsis1.attributes.crmid"))) {
            reader.forEachRemaining(events::add);
            assertThat(reader.rowsRead()).isEqualTo(4);
        }

        assertThat(events)
                .extracting(EmailEvent::type)
                .containsExactly(EmailEventType.SENT, EmailEventType.OPENED, EmailEventType.UNSUBSCRIBED);
        assertThat(events.get(0).subject()).isEqualTo("Hello, world");
        assertThat(events.get(0).column("com.apsis1.attributes.crmid")).contains("11");
        assertThat(events.get(1).eventTime()).isEqualTo(Instant.ofEpochMilli(1732700005000L));
        assertThat(events.get(2).column("com.apsis1.attributes.crmid")).isEmpty();
        assertThat(sleeper.delays).containsExactly(Duration.ofSeconds(5));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/files/rep-9.csv.gz")));
    }

    @Test
    void aPlainHttpUploadOrDownloadUrlBeyondLoopbackIsRefusedNamingTheHostNotTheSignature() throws Exception {
        wm.stubFor(
                post(urlEqualTo("/v2/audience/sections/" + SEC + "/imports"))
                        .willReturn(
                                aResponse()
                                        .withStatus(201)
                                        .withBody(
                                                "{\"import_id\":\"imp-1\",\"file_upload_url\":"
                                                        + "\"http://uploads.example.com/bucket?X-Amz-Signature=s3cr3t\",\"file_upload_body\":{}}")));
        wm.stubFor(get(urlEqualTo("/emails/reports/rep-1?header_auth=true"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("x-apsis-auth", "dl-credential")
                        .withBody("{\"status\":\"completed\",\"file_download_url\":"
                                + "\"http://files.example.com/rep-1.csv.gz?sig=s3cr3t\"}")));
        ApsisClient client = ApsisTestKit.client(wm, clock, sleeper).build();

        ImportRequest request = ImportRequest.builder("com.apsis1.keyspaces.crm-id", "crm_id")
                .attribute("email", "1201")
                .build();

        assertThatThrownBy(() -> client.imports().create(SEC, request))
                .isInstanceOf(ApsisTransportException.class)
                .hasMessageContaining("plain-http file_upload_url on host uploads.example.com")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> client.emailEvents().status("rep-1"))
                .isInstanceOf(ApsisTransportException.class)
                .hasMessageContaining("plain-http file_download_url on host files.example.com")
                .hasMessageNotContaining("s3cr3t");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/bucket")));
    }

    @Test
    void csvReaderHandlesQuotesLineBreaksAndCrlf() throws Exception {
        CsvReader reader = new CsvReader(new StringReader("a,\"b,1\",\"c\"\"d\"\r\n\"multi\nline\",,x\n\nlast"));
        assertThat(reader.next()).containsExactly("a", "b,1", "c\"d");
        assertThat(reader.next()).containsExactly("multi\nline", "", "x");
        assertThat(reader.next()).containsExactly("last");
        assertThat(reader.next()).isNull();
    }
}
