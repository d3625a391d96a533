package io.crmsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.ConsentRecord;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.apsis.ProfileView;
import io.crmsync.testkit.audit.ProtocolAudit;
import io.crmsync.testkit.http.Fault;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApsisEmulatorTest {

    static final String SEC = Definitions.SECTION;
    static final String KS = Definitions.CRM_ID;

    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private String token;

    @AfterEach
    void stop() {
        apsis.close();
    }

    private String token() {
        if (token == null) {
            HttpResponse<String> r = RawHttp.send(
                    "POST",
                    uri("/oauth/token"),
                    Map.of("Content-Type", "application/json"),
                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            token = RawHttp.json(r).path("access_token").asText();
        }
        return token;
    }

    private URI uri(String path) {
        return URI.create(apsis.baseUri() + path);
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return call(method, path, body, "application/json");
    }

    private HttpResponse<String> call(String method, String path, String body, String type) {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", "Bearer " + token()));
        if (body != null) {
            headers.put("Content-Type", type);
        }
        return RawHttp.send(method, uri(path), headers, body);
    }

    private void createProfile(String key, String email) {
        assertThat(call(
                                "POST",
                                "/audience/keyspaces/" + KS + "/sections/" + SEC + "/profiles",
                                "{\"profile_key\":\"" + key + "\"}")
                        .statusCode())
                .isEqualTo(201);
        if (email != null) {
            assertThat(call(
                                    "PATCH",
                                    "/v2/audience/keyspaces/" + KS + "/profiles/" + key + "/sections/" + SEC
                                            + "/attributes",
                                    "{\"" + Definitions.EMAIL + "\":\"" + email + "\"}",
                                    "application/merge-patch+json")
                            .statusCode())
                    .isEqualTo(204);
        }
    }

    private int consent(String key, String type) {
        return call(
                        "POST",
                        "/v2/audience/keyspaces/" + KS + "/profiles/" + key + "/sections/" + SEC + "/consents",
                        "{\"topic_discriminator\":\"" + Definitions.NEWSLETTER + "\",\"channel_discriminator\":\""
                                + Definitions.EMAIL_CHANNEL + "\",\"type\":\"" + type
                                + "\",\"source\":\"test\",\"reason\":\"r\"}")
                .statusCode();
    }

    @Test
    void tokensAreJwtShapedAndRefusedWhenMissingWrongOrExpired() {
        String jwt = token();
        assertThat(jwt.split("\\.")).hasSize(3);
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"exp\":");

        assertThat(RawHttp.send("GET", uri("/audience/sections"), Map.of(), null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(RawHttp.send("GET", uri("/audience/sections"), Map.of("Authorization", "Bearer nope"), null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(RawHttp.send(
                                "POST",
                                uri("/oauth/token"),
                                Map.of("Content-Type", "application/json"),
                                "{\"grant_type\":\"client_credentials\",\"client_id\":\"test-client\",\"client_secret\":\"bad\"}")
                        .statusCode())
                .isEqualTo(401);

        try (ApsisEmulator shortLived =
                ApsisEmulator.builder().tokenLifetime(Duration.ZERO).start()) {
            String expired = RawHttp.json(
                            RawHttp.send(
                                    "POST",
                                    URI.create(shortLived.baseUri() + "/oauth/token"),
                                    Map.of("Content-Type", "application/json"),
                                    "{\"grant_type\":\"client_credentials\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\"}"))
                    .path("access_token")
                    .asText();
            HttpResponse<String> r = RawHttp.send(
                    "GET",
                    URI.create(shortLived.baseUri() + "/audience/sections"),
                    Map.of("Authorization", "Bearer " + expired),
                    null);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(RawHttp.json(r).path("detail").asText()).contains("expired");
        }
    }

    @Test
    void definitionsListTheSeededDataModel() {
        JsonNode attributes = RawHttp.json(call("GET", "/audience/sections/" + SEC + "/attributes", null));
        assertThat(attributes.path("items").findValuesAsText("discriminator"))
                .contains(Definitions.EMAIL, Definitions.CUSTOMER_TIER);
        JsonNode email = attributes.path("items").get(0);
        assertThat(email.path("versions")).hasSize(2);
        assertThat(RawHttp.json(call("GET", "/audience/keyspaces", null))
                        .path("items")
                        .findValuesAsText("discriminator"))
                .contains(KS, Definitions.EMAIL_KEYSPACE, Definitions.MOBILE_KEYSPACE);
        assertThat(RawHttp.json(call("GET", "/audience/channels", null))
                        .path("items")
                        .findValuesAsText("discriminator"))
                .contains(Definitions.EMAIL_CHANNEL, Definitions.SMS_CHANNEL);
        assertThat(RawHttp.json(call("GET", "/v2/audience/sections/" + SEC + "/topics", null))
                        .path("items")
                        .size())
                .isEqualTo(3);
        assertThat(RawHttp.json(call("GET", "/audience/sections/" + SEC + "/tags", null))
                        .path("items")
                        .size())
                .isEqualTo(1);
        assertThat(RawHttp.json(call("GET", "/audience/sections/" + SEC + "/events", null))
                        .path("items")
                        .size())
                .isEqualTo(1);
        assertThat(call("GET", "/audience/sections/nope/attributes", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void profilesFollowMergePatchSemanticsAndValidateTypes() {
        createProfile("42", "anna@example.com");
        assertThat(call(
                                "POST",
                                "/audience/keyspaces/" + KS + "/sections/" + SEC + "/profiles",
                                "{\"profile_key\":\"42\"}")
                        .statusCode())
                .isEqualTo(409);
        String attrs = "/v2/audience/keyspaces/" + KS + "/profiles/42/sections/" + SEC + "/attributes";
        assertThat(call(
                                "PATCH",
                                attrs,
                                "{\"" + Definitions.FIRSTNAME + "\":\"Anna\",\"" + Definitions.SCORE + "\":7}",
                                "application/merge-patch+json")
                        .statusCode())
                .isEqualTo(204);
        assertThat(call("PATCH", attrs, "{\"" + Definitions.FIRSTNAME + "\":null}", "application/merge-patch+json")
                        .statusCode())
                .isEqualTo(204);

        ProfileView view = apsis.profile(KS, "42").orElseThrow();
        assertThat(view.attribute(SEC, Definitions.CRMID)).contains("42");
        assertThat(view.attribute(SEC, Definitions.EMAIL)).contains("anna@example.com");
        assertThat(view.attribute(SEC, Definitions.SCORE)).contains(7L);
        assertThat(view.attribute(SEC, Definitions.FIRSTNAME)).isEmpty();

        HttpResponse<String> badEmail = call(
                "PATCH", attrs, "{\"" + Definitions.EMAIL + "\":\"not-an-email\"}", "application/merge-patch+json");
        assertThat(badEmail.statusCode()).isEqualTo(400);
        assertThat(badEmail.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(RawHttp.json(badEmail).path("detail").asText()).contains("valid e-mail");
        assertThat(call("PATCH", attrs, "{\"" + Definitions.SCORE + "\":\"many\"}", "application/merge-patch+json")
                        .statusCode())
                .isEqualTo(400);
        assertThat(call("PATCH", attrs, "{\"unknown.attr\":1}", "application/merge-patch+json")
                        .statusCode())
                .isEqualTo(400);
        assertThat(call("PATCH", attrs, "{}", "application/json").statusCode()).isEqualTo(415);
        assertThat(call(
                                "PATCH",
                                "/v2/audience/keyspaces/" + KS + "/profiles/404/sections/" + SEC + "/attributes",
                                "{}",
                                "application/merge-patch+json")
                        .statusCode())
                .isEqualTo(404);
        assertThat(call(
                                "POST",
                                "/audience/keyspaces/" + Definitions.EMAIL_KEYSPACE + "/sections/" + SEC + "/profiles",
                                "{\"profile_key\":\"nope\"}")
                        .statusCode())
                .isEqualTo(400);

        JsonNode v1 = RawHttp.json(
                call("GET", "/audience/keyspaces/" + KS + "/profiles/42/sections/" + SEC + "/attributes", null));
        assertThat(v1.path("1201").asText()).isEqualTo("anna@example.com");
    }

    @Test
    void profileKeysWithPlusSignsAreDecodedAsPathSegments() {
        String encoded = "anna%2Bnews%40example.com";
        assertThat(call(
                                "POST",
                                "/audience/keyspaces/" + Definitions.EMAIL_KEYSPACE + "/sections/" + SEC + "/profiles",
                                "{\"profile_key\":\"anna+news@example.com\"}")
                        .statusCode())
                .isEqualTo(201);
        assertThat(call("DELETE", "/audience/keyspaces/" + Definitions.EMAIL_KEYSPACE + "/profiles/" + encoded, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(apsis.profile(Definitions.EMAIL_KEYSPACE, "anna+news@example.com"))
                .isEmpty();
    }

    @Test
    void consentsAnswer201Then204Then409AndKeepTheAddressInTheHistory() {
        createProfile("7", "old@example.com");
        assertThat(consent("7", "opt-in")).isEqualTo(201);
        assertThat(consent("7", "opt-in")).isEqualTo(409);
        call(
                "PATCH",
                "/v2/audience/keyspaces/" + KS + "/profiles/7/sections/" + SEC + "/attributes",
                "{\"" + Definitions.EMAIL + "\":\"new@example.com\"}",
                "application/merge-patch+json");
        assertThat(consent("7", "opt-out")).isEqualTo(204);

        List<ConsentRecord> history = apsis.profile(KS, "7").orElseThrow().history();
        assertThat(history)
                .extracting(ConsentRecord::type, ConsentRecord::address)
                .containsExactly(Tuple.tuple("opt-in", "old@example.com"), Tuple.tuple("opt-out", "new@example.com"));

        JsonNode listed = RawHttp.json(call(
                "GET",
                "/v2/audience/keyspaces/" + KS + "/profiles/7/sections/" + SEC + "/consents?consent_types=opt-out",
                null));
        assertThat(listed.path("items")).hasSize(1);
        assertThat(RawHttp.json(call(
                                "GET",
                                "/v2/audience/keyspaces/" + KS + "/profiles/7/sections/" + SEC
                                        + "/consents?consent_types=opt-in",
                                null))
                        .path("items"))
                .isEmpty();

        createProfile("8", null);
        assertThat(consent("8", "opt-in")).isEqualTo(400);
    }

    @Test
    void tagsEventsMergeAndDelete() {
        createProfile("9", "nine@example.com");
        String base = "/audience/keyspaces/" + KS + "/profiles/9/sections/" + SEC;
        assertThat(call(
                                "PATCH",
                                base + "/tags",
                                "{\"" + Definitions.VIP_TAG + "\":true}",
                                "application/merge-patch+json")
                        .statusCode())
                .isEqualTo(204);
        assertThat(apsis.profile(KS, "9").orElseThrow().tags(SEC)).containsExactly(Definitions.VIP_TAG);
        call("PATCH", base + "/tags", "{\"" + Definitions.VIP_TAG + "\":false}", "application/merge-patch+json");
        assertThat(apsis.profile(KS, "9").orElseThrow().tags(SEC)).isEmpty();

        assertThat(call(
                                "POST",
                                base + "/events",
                                "{\"items\":[{\"event_time\":\"2024-05-01T10:15:00Z\",\"version_id\":\"5521\","
                                        + "\"data\":{\"x\":1}}]}")
                        .statusCode())
                .isEqualTo(204);
        assertThat(apsis.events(KS, "9")).hasSize(1);

        assertThat(call(
                                "PUT",
                                "/audience/profiles/merges",
                                "{\"profiles\":[{\"keyspace_discriminator\":\"" + KS
                                        + "\",\"profile_key\":\"9\"},{\"keyspace_discriminator\":\""
                                        + Definitions.EMAIL_KEYSPACE
                                        + "\",\"profile_key\":\"nine@example.com\"}]}")
                        .statusCode())
                .isEqualTo(204);
        assertThat(apsis.profile(Definitions.EMAIL_KEYSPACE, "nine@example.com")
                        .orElseThrow()
                        .keys())
                .containsKey(KS);

        assertThat(call("DELETE", "/audience/keyspaces/" + KS + "/profiles/9", null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(apsis.profile(Definitions.EMAIL_KEYSPACE, "nine@example.com"))
                .isEmpty();
        assertThat(call("DELETE", "/audience/keyspaces/" + KS + "/profiles/9", null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void importsServeTheirOwnUploadUrlProgressAndApplyRowsWithAnErrorReport() {
        String mapping =
                "{\"keyspace_mapping\":{\"keyspace_discriminator\":\"" + KS + "\",\"field_selector\":\"crm_id\"},"
                        + "\"options\":{\"update_existing_profiles\":true,\"clear_existing_attributes\":false},"
                        + "\"attribute_mappings\":[{\"field_selector\":\"email\",\"attribute_version_id\":\"1201\"},"
                        + "{\"field_selector\":\"score\",\"attribute_version_id\":\"3345\"}],"
                        + "\"consent_mappings\":[{\"address_field_selector\":\"email\",\"consents\":[{\"field_selector\":\"news\","
                        + "\"channel_discriminator\":\"" + Definitions.EMAIL_CHANNEL + "\",\"topic_discriminator\":\""
                        + Definitions.NEWSLETTER
                        + "\",\"type\":\"opt-in\",\"resubscribe_if_opted_out\":true}]}]}";
        JsonNode created = RawHttp.json(call("POST", "/v2/audience/sections/" + SEC + "/imports", mapping));
        String id = created.path("import_id").asText();
        String url = created.path("file_upload_url").asText();
        assertThat(url).startsWith(apsis.baseUri().toString());
        JsonNode fields = created.path("file_upload_body");

        String csv = "crm_id,email,score,news\r\n1,a@example.com,5,1\r\n2,b@example.com,x,1\r\n3,c@example.com,,0\r\n";
        String boundary = "b0undary";
        StringBuilder body = new StringBuilder();
        fields.fields()
                .forEachRemaining(f -> body.append("--")
                        .append(boundary)
                        .append("\r\nContent-Disposition: form-data; name=\"")
                        .append(f.getKey())
                        .append("\"\r\n\r\n")
                        .append(f.getValue().asText())
                        .append("\r\n"));
        body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\n")
                .append(csv)
                .append("\r\n--")
                .append(boundary)
                .append("--\r\n");
        assertThat(RawHttp.send(
                                "POST",
                                URI.create(url),
                                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary),
                                body.toString())
                        .statusCode())
                .isEqualTo(204);

        String status = "/audience/sections/" + SEC + "/imports/" + id;
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(RawHttp.json(call("GET", status, null))
                    .path("result")
                    .path("status")
                    .asText());
        }
        assertThat(seen).containsExactly("in_progress", "completed", "completed");
        JsonNode result = RawHttp.json(call("GET", status, null)).path("result");
        assertThat(result.path("rows_processed").asInt()).isEqualTo(2);
        assertThat(result.path("rows_failed").asInt()).isEqualTo(1);
        assertThat(result.path("errors").get(0).path("row").asInt()).isEqualTo(2);

        ProfileView one = apsis.profile(KS, "1").orElseThrow();
        assertThat(one.attribute(SEC, Definitions.SCORE)).contains(5L);
        assertThat(one.consent(SEC, Definitions.NEWSLETTER, Definitions.EMAIL_CHANNEL))
                .contains("opt-in");
        assertThat(apsis.profile(KS, "2")).isEmpty();
        assertThat(apsis.profile(KS, "3").orElseThrow().consent(SEC, Definitions.NEWSLETTER, Definitions.EMAIL_CHANNEL))
                .isEmpty();
    }

    @Test
    void moreThanThreePendingImportsAreThrottled() {
        String mapping = "{\"keyspace_mapping\":{\"keyspace_discriminator\":\"" + KS + "\",\"field_selector\":\"k\"}}";
        for (int i = 0; i < 3; i++) {
            assertThat(call("POST", "/v2/audience/sections/" + SEC + "/imports", mapping)
                            .statusCode())
                    .isEqualTo(201);
        }
        assertThat(call("POST", "/v2/audience/sections/" + SEC + "/imports", mapping)
                        .statusCode())
                .isEqualTo(429);
    }

    @Test
    void campaignEventsAreExportedAsGzipCsvAndUnsubscribesOptOut() throws IOException {
        for (int i = 1; i <= 60; i++) {
            createProfile(Integer.toString(i), "p" + i + "@example.com");
            consent(Integer.toString(i), "opt-in");
        }
        Instant sent = Instant.parse("2026-11-20T10:00:00Z");
        CampaignResult result = apsis.simulateCampaign(Campaign.newsletter("Hello, world")
                .withSeed(3)
                .withShares(0.1, 0.5, 0.5, 0.1, 0.2)
                .sentAt(sent));
        assertThat(result.counts().get("SENT")).isEqualTo(60);
        assertThat(result.unsubscribed()).isNotEmpty();
        String unsubscribed = result.unsubscribed().get(0);
        String key = unsubscribed.substring(1, unsubscribed.indexOf('@'));
        assertThat(apsis.profile(KS, key).orElseThrow().consent(SEC, Definitions.NEWSLETTER, Definitions.EMAIL_CHANNEL))
                .contains("opt-out");

        String reportId = RawHttp.json(call(
                        "POST",
                        "/emails/reports",
                        "{\"start_at\":\"2026-11-20T00:00:00Z\","
                                + "\"end_at\":\"2026-11-21T00:00:00Z\",\"attributes\":[\"" + Definitions.CRMID
                                + "\"]}"))
                .path("report_id")
                .asText();
        assertThat(RawHttp.json(call("GET", "/emails/reports/" + reportId + "?header_auth=true", null))
                        .path("status")
                        .asText())
                .isEqualTo("in_progress");
        HttpResponse<String> done = call("GET", "/emails/reports/" + reportId + "?header_auth=true", null);
        String auth = done.headers().firstValue("x-apsis-auth").orElseThrow();
        URI file = URI.create(RawHttp.json(done).path("file_download_url").asText());

        assertThat(RawHttp.send("GET", file, Map.of(), null).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> download;
        try {
            download = RawHttp.HTTP.send(
                    HttpRequest.newBuilder(file).header("x-apsis-auth", auth).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        String csv = new String(
                new GZIPInputStream(new ByteArrayInputStream(download.body())).readAllBytes(), StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).startsWith("activity_id,split_id,activity_name").endsWith("," + Definitions.CRMID);
        assertThat(lines.length - 1).isEqualTo(result.exportRows()).isGreaterThan(result.events());
        assertThat(csv).contains("\"Hello, world\"").contains(",UNSUBSCRIBED,");
    }

    @Test
    void rateLimitsAnswer429WithRetryAfterWhenConfigured() {
        apsis.limits(new ApsisLimits(true, 5, 2, 100, 10, 3, 1, true, 100 * 1024));
        int throttled = 0;
        String retryAfter = null;
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = call("GET", "/audience/sections", null);
            if (r.statusCode() == 429) {
                throttled++;
                retryAfter = r.headers().firstValue("Retry-After").orElse(null);
            }
        }
        assertThat(throttled).isGreaterThan(0);
        assertThat(retryAfter).matches("\\d+");
        assertThat(apsis.journal().countStartingWith("429 ")).isEqualTo(throttled);
    }

    @Test
    void unknownQueryParametersAndBodyFieldsAreRecordedNotRefused() {
        HttpResponse<String> created = call(
                "POST",
                "/audience/keyspaces/" + KS + "/sections/" + SEC + "/profiles?dry=1",
                "{\"profile_key\":\"9001\",\"reasn\":\"typo\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(ProtocolAudit.drain())
                .extracting(ProtocolAudit.UnknownName::name)
                .containsExactlyInAnyOrder("dry", "reasn");
    }

    @Test
    void bodiesOver100KbAreRefusedWith413AndFaultsAreInjected() {
        String big = "{\"x\":\"" + "y".repeat(110_000) + "\"}";
        assertThat(call("POST", "/emails/reports", big).statusCode()).isEqualTo(413);
        assertThat(ProtocolAudit.drain())
                .extracting(ProtocolAudit.UnknownName::name)
                .containsExactly("x");

        apsis.faults().next(1, "/audience/sections", Fault.status(503));
        assertThat(call("GET", "/audience/sections", null).statusCode()).isEqualTo(503);
        assertThat(call("GET", "/audience/sections", null).statusCode()).isEqualTo(200);
        assertThat(apsis.journal().count("GET /audience/sections")).isEqualTo(1);
    }

    @Test
    void accountsOnDemandAreMadeAtTheirFirstTokenRequestAndKeptApart() {
        apsis.accountsOnDemand("scale-");
        String body = "{\"grant_type\":\"client_credentials\",\"client_id\":\"scale-7\",\"client_secret\":\"%s\"}";
        assertThat(RawHttp.send(
                                "POST",
                                uri("/oauth/token"),
                                Map.of("Content-Type", "application/json"),
                                String.format(body, "wrong"))
                        .statusCode())
                .as("made, but with its own secret")
                .isEqualTo(401);
        HttpResponse<String> token = RawHttp.send(
                "POST",
                uri("/oauth/token"),
                Map.of("Content-Type", "application/json"),
                String.format(body, "scale-7-secret"));
        assertThat(token.statusCode()).isEqualTo(200);
        String bearer = "Bearer " + RawHttp.json(token).path("access_token").asText();
        assertThat(RawHttp.send(
                                "POST",
                                uri("/audience/keyspaces/" + KS + "/sections/" + SEC + "/profiles"),
                                Map.of("Authorization", bearer, "Content-Type", "application/json"),
                                "{\"profile_key\":\"9\"}")
                        .statusCode())
                .isEqualTo(201);
        assertThat(apsis.profile(KS, "9")).as("not the first account's").isEmpty();
        HttpResponse<String> other = RawHttp.send(
                "POST",
                uri("/oauth/token"),
                Map.of("Content-Type", "application/json"),
                "{\"grant_type\":\"client_credentials\",\"client_id\":\"elsewhere\",\"client_secret\":\"elsewhere-secret\"}");
        assertThat(other.statusCode()).as("outside the prefix nothing is made").isEqualTo(401);
    }

    @Test
    void servesSeveralAccountsByClientIdWithoutSharingProfiles() {
        ApsisEmulator acme = apsis.addAccount("acme-client", "acme-secret");
        createProfile("1", "one@example.com");
        HttpResponse<String> acmeToken = RawHttp.send(
                "POST",
                uri("/oauth/token"),
                Map.of("Content-Type", "application/json"),
                "{\"grant_type\":\"client_credentials\",\"client_id\":\"acme-client\",\"client_secret\":\"acme-secret\"}");
        String bearer = "Bearer " + RawHttp.json(acmeToken).path("access_token").asText();
        HttpResponse<String> created = RawHttp.send(
                "POST",
                uri("/audience/keyspaces/" + KS + "/sections/" + SEC + "/profiles"),
                Map.of("Authorization", bearer, "Content-Type", "application/json"),
                "{\"profile_key\":\"2\"}");
        HttpResponse<String> wrongSecret = RawHttp.send(
                "POST",
                uri("/oauth/token"),
                Map.of("Content-Type", "application/json"),
                "{\"grant_type\":\"client_credentials\",\"client_id\":\"acme-client\",\"client_secret\":\"test-secret\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(apsis.profileCount()).isEqualTo(1);
        assertThat(acme.profileCount()).isEqualTo(1);
        assertThat(apsis.profile(KS, "2")).isEmpty();
        assertThat(acme.profile(KS, "1")).isEmpty();
        assertThat(acme.profile(KS, "2")).isPresent();
        acme.close();
        assertThat(RawHttp.send("GET", uri("/audience/sections"), Map.of("Authorization", bearer), null)
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void theV1MergePatchSetsAttributesByVersionIdCreatingTheProfileAndOneAttributeCanBeCleared() {
        String path = "/audience/keyspaces/" + KS + "/profiles/v1-key/sections/" + SEC + "/attributes";
        assertThat(call(
                                "PATCH",
                                path,
                                "{\"1201\":\"jane@example.com\",\"1203\":\"Jane\"}",
                                "application/merge-patch+json")
                        .statusCode())
                .isEqualTo(204);
        assertThat(apsis.profile(KS, "v1-key")).hasValueSatisfying(p -> {
            assertThat(p.attribute(SEC, Definitions.EMAIL)).contains("jane@example.com");
            assertThat(p.attribute(SEC, Definitions.FIRSTNAME)).contains("Jane");
        });
        assertThat(call("PATCH", path, "{\"9999\":\"x\"}", "application/merge-patch+json")
                        .statusCode())
                .isEqualTo(400);
        assertThat(call("PATCH", path, "{\"1203\":\"x\"}").statusCode())
                .as("not a merge patch")
                .isEqualTo(415);

        assertThat(call("DELETE", path + "/1203", null).statusCode()).isEqualTo(204);
        assertThat(apsis.profile(KS, "v1-key").orElseThrow().attribute(SEC, Definitions.FIRSTNAME))
                .isEmpty();
        assertThat(apsis.profile(KS, "v1-key").orElseThrow().attribute(SEC, Definitions.EMAIL))
                .contains("jane@example.com");
        assertThat(call(
                                "DELETE",
                                "/audience/keyspaces/" + KS + "/profiles/nobody/sections/" + SEC + "/attributes/1203",
                                null)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void theAdminRoutesListProfilesPerAccountAndRunACampaign() throws Exception {
        ApsisEmulator other = apsis.addAccount("other-client", "other-secret");
        createProfile("41", "ann@example.com");
        assertThat(call(
                                "POST",
                                "/v2/audience/keyspaces/" + KS + "/profiles/41/sections/" + SEC + "/consents",
                                "{\"channel_discriminator\":\"com.apsis1.channels.email\",\"source\":\"test\","
                                        + "\"topic_discriminator\":\"" + Definitions.NEWSLETTER
                                        + "\",\"type\":\"opt-in\"}")
                        .statusCode())
                .isEqualTo(201);

        HttpResponse<String> accounts = RawHttp.send("GET", uri("/_admin/accounts"), Map.of(), null);
        assertThat(RawHttp.json(accounts).findValuesAsText("clientId")).containsExactly("test-client", "other-client");
        JsonNode profiles = RawHttp.json(RawHttp.send("GET", uri("/_admin/profiles"), Map.of(), null));
        assertThat(profiles).hasSize(1);
        assertThat(profiles.get(0).path("keys").path(KS).asText()).isEqualTo("41");
        assertThat(profiles.get(0).path("consents").get(0).path("type").asText())
                .isEqualTo("opt-in");
        assertThat(RawHttp.json(RawHttp.send("GET", uri("/_admin/profiles?account=other-client"), Map.of(), null)))
                .isEmpty();

        HttpResponse<String> campaign = RawHttp.send(
                "POST",
                uri("/_admin/campaigns"),
                Map.of("Content-Type", "application/json"),
                "{\"subject\":\"Admin news\",\"opens\":1,\"bounces\":0}");
        assertThat(campaign.statusCode()).isEqualTo(201);
        assertThat(RawHttp.json(campaign).path("exportRows").asInt()).isPositive();
        assertThat(apsis.events(KS, "41")).isEmpty(); // the email events wait in the export, not on the profile
        assertThat(RawHttp.send("GET", uri("/_admin/profiles?account=nobody"), Map.of(), null)
                        .statusCode())
                .isEqualTo(404);
        other.close();
    }
}
