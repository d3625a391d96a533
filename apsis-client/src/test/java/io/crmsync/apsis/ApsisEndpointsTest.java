package io.crmsync.apsis;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.crmsync.apsis.consent.Consent;
import io.crmsync.apsis.consent.ConsentChange;
import io.crmsync.apsis.consent.ConsentOutcome;
import io.crmsync.apsis.consent.ConsentType;
import io.crmsync.apsis.definition.AttributeDefinition;
import io.crmsync.apsis.profile.AttributePatch;
import io.crmsync.apsis.profile.CreateOutcome;
import io.crmsync.apsis.profile.ProfileEvent;
import io.crmsync.apsis.profile.ProfileKey;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApsisEndpointsTest {

    @RegisterExtension
    static WireMockExtension wm = ApsisTestKit.server();

    static final String KS = "com.apsis1.keyspaces.crm-id";
    static final String SEC = "com.apsis1.sections.default";
    static final String PROFILE_PATH = "/v2/audience/keyspaces/" + KS + "/profiles/12345/sections/" + SEC;

    private final ApsisTestKit.TestClock clock = new ApsisTestKit.TestClock();
    private final ApsisClient client = ApsisTestKit.client(wm, clock, new ApsisTestKit.RecordingSleeper(clock))
            .build();
    private final ProfileKey key = ProfileKey.crmId("12345");

    @BeforeEach
    void token() {
        ApsisTestKit.stubToken(wm, "tok");
    }

    @Test
    void createProfileTreatsConflictAsAlreadyExisting() {
        wm.stubFor(post(urlEqualTo("/audience/keyspaces/" + KS + "/sections/" + SEC + "/profiles"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"profile_key\":\"12345\"}"))
                .willReturn(aResponse().withStatus(201)));
        assertThat(client.profiles().create(key, SEC)).isEqualTo(CreateOutcome.CREATED);

        wm.stubFor(post(urlEqualTo("/audience/keyspaces/" + KS + "/sections/" + SEC + "/profiles"))
                .willReturn(aResponse().withStatus(409).withBody("{\"title\":\"Conflict\",\"status\":409}")));
        assertThat(client.profiles().create(key, SEC)).isEqualTo(CreateOutcome.ALREADY_EXISTS);
    }

    @Test
    void attributePatchIsAMergePatchKeyedByDiscriminatorWithNullToClear() {
        wm.stubFor(patch(urlEqualTo(PROFILE_PATH + "/attributes"))
                .willReturn(aResponse().withStatus(204)));

        int requests = client.profiles()
                .patchAttributes(
                        key,
                        SEC,
                        AttributePatch.builder()
                                .set("com.apsis1.attributes.email", "jane@example.com")
                                .set("usercreated.attributes.score-x8k2p0q1ab", 42)
                                .clear("com.apsis1.attributes.lastname")
                                .build());

        assertThat(requests).isEqualTo(1);
        wm.verify(patchRequestedFor(urlEqualTo(PROFILE_PATH + "/attributes"))
                .withHeader("Content-Type", equalTo("application/merge-patch+json"))
                .withHeader("Accept", equalTo("application/problem+json"))
                .withHeader("Authorization", equalTo("Bearer tok"))
                .withRequestBody(equalToJson("{\"com.apsis1.attributes.email\":\"jane@example.com\","
                        + "\"usercreated.attributes.score-x8k2p0q1ab\":42,\"com.apsis1.attributes.lastname\":null}")));
    }

    @Test
    void largePatchesAreSplitBelowTheBodyLimitAndOversizedValuesRefused() {
        wm.stubFor(patch(urlEqualTo(PROFILE_PATH + "/attributes"))
                .willReturn(aResponse().withStatus(204)));
        AttributePatch.Builder big = AttributePatch.builder();
        for (int i = 0; i < 30; i++) {
            big.set("usercreated.attributes.a" + i, "x".repeat(5000));
        }
        assertThat(client.profiles().patchAttributes(key, SEC, big.build())).isEqualTo(2);
        wm.getAllServeEvents()
                .forEach(e -> assertThat(e.getRequest().getBody().length).isLessThanOrEqualTo(100 * 1024));

        assertThatThrownBy(() -> client.profiles()
                        .patchAttributes(
                                key,
                                SEC,
                                AttributePatch.builder()
                                        .set("usercreated.attributes.huge", "y".repeat(110_000))
                                        .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usercreated.attributes.huge");
    }

    @Test
    void profileKeysAreEncodedAsPathSegments() {
        wm.stubFor(
                delete(urlEqualTo("/audience/keyspaces/com.apsis1.keyspaces.email/profiles/anna%2Bnews%40example.com"))
                        .withHeader("Accept", equalTo("application/problem+json"))
                        .willReturn(aResponse().withStatus(204)));

        client.profiles().delete(ProfileKey.email("anna+news@example.com"));

        wm.verify(
                1,
                deleteRequestedFor(urlEqualTo(
                        "/audience/keyspaces/com.apsis1.keyspaces.email/profiles/anna%2Bnews%40example.com")));
    }

    @Test
    void readAttributesTagsEventsAndMergeSpeakTheDocumentedShapes() {
        wm.stubFor(get(urlEqualTo("/audience/keyspaces/" + KS + "/profiles/12345/sections/" + SEC + "/attributes"))
                .willReturn(aResponse().withStatus(200).withBody("{\"1201\":\"jane@example.com\",\"1202\":\"Jane\"}")));
        assertThat(client.profiles().attributes(key, SEC)).containsKeys("1201", "1202");

        wm.stubFor(patch(urlEqualTo("/audience/keyspaces/" + KS + "/profiles/12345/sections/" + SEC + "/tags"))
                .willReturn(aResponse().withStatus(204)));
        Map<String, Boolean> tags = new LinkedHashMap<>();
        tags.put("usercreated.tags.vip-abc", true);
        tags.put("usercreated.tags.old-def", false);
        client.profiles().patchTags(key, SEC, tags);
        wm.verify(
                patchRequestedFor(urlEqualTo("/audience/keyspaces/" + KS + "/profiles/12345/sections/" + SEC + "/tags"))
                        .withHeader("Content-Type", equalTo("application/merge-patch+json"))
                        .withRequestBody(
                                equalToJson("{\"usercreated.tags.vip-abc\":true,\"usercreated.tags.old-def\":false}")));

        wm.stubFor(post(urlEqualTo("/audience/keyspaces/" + KS + "/profiles/12345/sections/" + SEC + "/events"))
                .willReturn(aResponse().withStatus(204)));
        List<ProfileEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(new ProfileEvent(
                    "5521", OffsetDateTime.parse("2024-05-01T10:15:00Z"), Map.of("blob", "z".repeat(4000))));
        }
        assertThat(client.profiles().postEvents(key, SEC, events)).isEqualTo(2);
        wm.verify(
                2,
                postRequestedFor(
                                urlEqualTo("/audience/keyspaces/" + KS + "/profiles/12345/sections/" + SEC + "/events"))
                        .withRequestBody(containing("\"version_id\":\"5521\""))
                        .withRequestBody(containing("\"event_time\":\"2024-05-01T10:15Z\"")));

        wm.stubFor(put(urlEqualTo("/audience/profiles/merges"))
                .willReturn(aResponse().withStatus(204)));
        client.profiles().merge(List.of(key, ProfileKey.email("jane@example.com")));
        wm.verify(
                putRequestedFor(urlEqualTo("/audience/profiles/merges"))
                        .withRequestBody(
                                equalToJson(
                                        "{\"profiles\":[{\"keyspace_discriminator\":\"" + KS
                                                + "\",\"profile_key\":\"12345\"},"
                                                + "{\"keyspace_discriminator\":\"com.apsis1.keyspaces.email\",\"profile_key\":\"jane@example.com\"}]}")));
    }

    @Test
    void consentCreateReportsCreatedUpdatedAndNoChange() {
        String path = PROFILE_PATH + "/consents";
        ConsentChange optIn = ConsentChange.optIn(
                "usercreated.topics.newsletter-ab12cd34ef",
                "com.apsis1.channels.email",
                "Checked box in CRM",
                "crmsync");
        String body = "{\"topic_discriminator\":\"usercreated.topics.newsletter-ab12cd34ef\","
                + "\"channel_discriminator\":\"com.apsis1.channels.email\",\"type\":\"opt-in\","
                + "\"reason\":\"Checked box in CRM\",\"source\":\"crmsync\"}";
        int[] statuses = {201, 204, 409};
        ConsentOutcome[] outcomes = {ConsentOutcome.CREATED, ConsentOutcome.UPDATED, ConsentOutcome.NO_CHANGE};
        for (int i = 0; i < 3; i++) {
            wm.stubFor(post(urlEqualTo(path))
                    .withRequestBody(equalToJson(body))
                    .willReturn(aResponse().withStatus(statuses[i])));
            assertThat(client.consents().create(key, SEC, optIn)).isEqualTo(outcomes[i]);
        }
    }

    @Test
    void consentListFiltersByRepeatedTypeParameters() {
        wm.stubFor(
                get(urlPathEqualTo(PROFILE_PATH + "/consents"))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withBody(
                                                "{\"items\":[{\"topic_discriminator\":\"t1\",\"channel_discriminator\":\"com.apsis1.channels.email\","
                                                        + "\"type\":\"opt-in\",\"source\":\"crmsync\",\"reason\":\"r\",\"modified_at\":\"2024-05-01T10:00:00Z\",\"extra\":1}]}")));

        List<Consent> consents =
                client.consents().list(key, SEC, Set.of(ConsentType.OPT_IN, ConsentType.CONFIRMED_OPT_IN));

        assertThat(consents).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(ConsentType.OPT_IN);
            assertThat(c.modifiedAt()).contains("2024-05-01T10:00:00Z");
        });
        wm.verify(getRequestedFor(
                urlEqualTo(PROFILE_PATH + "/consents?consent_types=confirmed-opt-in&consent_types=opt-in")));
    }

    @Test
    void definitionsAreCachedUntilRefreshedAndPickTheActiveVersion() {
        wm.stubFor(
                get(urlEqualTo("/audience/sections/" + SEC + "/attributes"))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withBody(
                                                "{\"items\":[{\"discriminator\":\"com.apsis1.attributes.email\",\"name\":\"Email\",\"versions\":["
                                                        + "{\"id\":\"1100\",\"deprecated_at\":\"2023-01-01T00:00:00Z\"},{\"id\":\"1201\",\"deprecated_at\":null}]}]}")));
        wm.stubFor(
                get(urlEqualTo("/v2/audience/sections/" + SEC + "/topics"))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withBody(
                                                "{\"items\":[{\"discriminator\":\"usercreated.topics.news-1\",\"name\":\"News\",\"consent_list_discriminator\":\"f1\"}]}")));

        assertThat(client.definitions()
                        .attribute(SEC, "com.apsis1.attributes.email")
                        .flatMap(AttributeDefinition::activeVersionId))
                .contains("1201");
        client.definitions().attributes(SEC);
        wm.verify(1, getRequestedFor(urlEqualTo("/audience/sections/" + SEC + "/attributes")));
        client.definitions().refresh();
        client.definitions().attributes(SEC);
        wm.verify(2, getRequestedFor(urlEqualTo("/audience/sections/" + SEC + "/attributes")));

        assertThat(client.definitions().topics(SEC))
                .singleElement()
                .satisfies(t -> assertThat(t.consentListDiscriminator()).contains("f1"));
    }

    @Test
    void badInputFailsBeforeAnyRequest() {
        assertThatThrownBy(() -> client.profiles().create(key, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("section");
        assertThatThrownBy(() -> ProfileKey.crmId(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("profile key");
        assertThatThrownBy(() -> Region.of("US"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'US'");
        assertThatThrownBy(() -> new ConsentChange("t", "c", ConsentType.PENDING_OPT_IN, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pending-opt-in");
        assertThatThrownBy(() -> ApsisClient.builder()
                        .baseUri(URI.create("http://api.example.com"))
                        .clientId("a")
                        .clientSecret("b")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plain http");
        wm.verify(0, postRequestedFor(urlEqualTo("/oauth/token")).withHeader("Authorization", absent()));
    }
}
