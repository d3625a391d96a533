package io.crmsync.efficy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.crmsync.client.RetryPolicy;
import io.crmsync.efficy.activity.ActivityResult;
import io.crmsync.efficy.activity.NewActivity;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPage;
import io.crmsync.efficy.contact.ContactPageRequest;
import io.crmsync.efficy.contact.ContactRead;
import io.crmsync.efficy.contact.ContactRecord;
import io.crmsync.efficy.contact.ContactSource;
import io.crmsync.efficy.contact.QueryParameterStyle;
import io.crmsync.efficy.rpc.Dataset;
import io.crmsync.efficy.user.EfficyIdentity;
import io.crmsync.efficy.user.EfficyUser;
import java.net.URI;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EfficyClientOperationsTest {

    @RegisterExtension
    static WireMockExtension wm = EfficyWireMock.server();

    private final EfficyClient client =
            EfficyWireMock.client(wm, new EfficyWireMock.RecordingSleeper()).build();

    private static MappingBuilder rpc(String requestJson) {
        return post(urlEqualTo("/crm/json"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("X-Efficy-ApiKey", equalTo(EfficyWireMock.API_KEY))
                .withHeader("X-Efficy-Customer", equalTo("demo"))
                .withRequestBody(equalToJson(requestJson, false, false));
    }

    private static void answer(String requestJson, String responseJson) {
        wm.stubFor(rpc(requestJson)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(responseJson)));
    }

    @Test
    void baseUriWithOrWithoutCrmEndsAtCrmJson() {
        assertThat(EfficyClient.builder()
                        .baseUri(URI.create("https://x.efficy.cloud"))
                        .apiKey("k")
                        .build()
                        .endpoint())
                .hasToString("https://x.efficy.cloud/crm/json");
        assertThat(EfficyClient.builder()
                        .baseUri(URI.create("https://x.efficy.cloud/crm/"))
                        .apiKey("k")
                        .build()
                        .endpoint())
                .hasToString("https://x.efficy.cloud/crm/json");
    }

    @Test
    void whoAmISendsOneApiContextAndReadsScalarsAndSettings() {
        answer("""
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"currentuserid"},{"@name":"currentusername"},{"@name":"currentuserfullname"},
          {"@name":"currentdatabasealias"},{"@name":"currentlicensename"},{"@name":"systemsettings"}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"currentuserid","#result":"169"},
          {"@name":"currentusername","#result":"APIUSER"},
          {"@name":"currentuserfullname","#result":"Api User"},
          {"@name":"currentdatabasealias","#result":"efficy120"},
          {"@name":"currentlicensename","#result":"Enterprise"},
          {"@name":"systemsettings","#result":{"#class":"stringlist",
             "#data":["Version=12.1.3","TimeZone=Europe/Brussels"]}}]}]
        """);

        EfficyIdentity me = client.whoAmI();

        assertThat(me.userId()).isEqualTo(169);
        assertThat(me.userCode()).isEqualTo("APIUSER");
        assertThat(me.fullName()).isEqualTo("Api User");
        assertThat(me.databaseAlias()).isEqualTo("efficy120");
        assertThat(me.license()).isEqualTo("Enterprise");
        assertThat(me.version()).contains("12.1.3");
        assertThat(me.majorVersion()).contains(12);
    }

    @Test
    void contactPageReadsRowsAndProfileMembershipsInOneRequest() {
        answer("""
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"executesqlquery",
           "sql":"select K_CONTACT, NAME, EMAIL1, F_NEWSLETTER, D_CHANGE from CONTACTS where K_CONTACT > :p1 order by K_CONTACT",
           "queryparams":"0","recordcount":2,"includeblobcontent":false},
          {"@name":"executesqlquery",
           "sql":"select K_CONTACT, K_PROFILE from CONT_PROF where K_CONTACT in (select K_CONTACT from CONTACTS where K_CONTACT > :p1 order by K_CONTACT offset 0 rows fetch next 2 rows only)",
           "queryparams":"0","recordcount":0,"includeblobcontent":false}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"executesqlquery","#result":{"#class":"dataset","#data":[
            {"K_CONTACT":"11","NAME":"Peeters","EMAIL1":"anna@example.com","F_NEWSLETTER":"1","D_CHANGE":"2022-03-14 09:00:00"},
            {"K_CONTACT":12,"NAME":"Dubois","EMAIL1":"","F_NEWSLETTER":0,"D_CHANGE":"2022-03-15T10:30:00"}]}},
          {"@name":"executesqlquery","#result":{"#class":"dataset","#data":[
            {"K_CONTACT":11,"K_PROFILE":7},{"K_CONTACT":11,"K_PROFILE":"8"}]}}]}]
        """);

        ContactPage page = client.contacts()
                .page(ContactPageRequest.from(ContactCursor.start())
                        .fields(List.of("NAME", "EMAIL1", "F_NEWSLETTER"))
                        .pageSize(2)
                        .withProfiles(true));

        assertThat(page.contacts()).hasSize(2);
        assertThat(page.contacts().get(0).key()).isEqualTo(11);
        assertThat(page.contacts().get(0).profiles()).containsExactlyInAnyOrder(7L, 8L);
        assertThat(page.contacts().get(0).row().bool("F_NEWSLETTER")).contains(true);
        assertThat(page.contacts().get(1).row().bool("F_NEWSLETTER")).contains(false);
        assertThat(page.contacts().get(1).profiles()).isEmpty();
        assertThat(page.contacts().get(1).changedAt()).contains(LocalDateTime.of(2022, 3, 15, 10, 30));
        assertThat(page.next()).isEqualTo(ContactCursor.afterKey(12));
        assertThat(page.last()).isFalse();
    }

    @Test
    void changedSincePageSendsTimeTwiceThenKeyAndAdvancesTheCursorByTimeAndKey() {
        answer("""
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"executesqlquery",
           "sql":"select K_CONTACT, NAME, D_CHANGE from CONTACTS where D_CHANGE > :p1 or (D_CHANGE = :p2 and K_CONTACT > :p3) order by D_CHANGE, K_CONTACT",
           "queryparams":"2022-03-14T09:00:00.000\\n2022-03-14T09:00:00.000\\n42","recordcount":10,"includeblobcontent":false}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[{"@name":"executesqlquery","#result":{"#class":"dataset","#data":[
            {"K_CONTACT":7,"NAME":"Late","D_CHANGE":"2022-03-14T09:00:01.250"}]}}]}]
        """);

        ContactPage page = client.contacts()
                .page(ContactPageRequest.from(ContactCursor.changedSince(LocalDateTime.of(2022, 3, 14, 9, 0), 42))
                        .fields(List.of("NAME"))
                        .pageSize(10)
                        .withProfiles(false));

        assertThat(page.last()).isTrue();
        assertThat(page.next())
                .isEqualTo(ContactCursor.changedSince(LocalDateTime.of(2022, 3, 14, 9, 0, 1, 250_000_000), 7));
    }

    @Test
    void contactPagesFetchTheNextPageOnlyWhenTheStreamNeedsIt() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .willReturn(aResponse().withStatus(200).withBody("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"executesqlquery","#result":{"#class":"dataset","#data":[
          {"K_CONTACT":1,"D_CHANGE":"2022-01-01T00:00:00"}]}}]}]
        """)));

        List<ContactPage> first = client.contacts()
                .pages(ContactPageRequest.from(ContactCursor.start())
                        .fields(List.of())
                        .pageSize(1)
                        .withProfiles(false))
                .limit(1)
                .collect(Collectors.toList());

        assertThat(first).hasSize(1);
        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void contactPagesStopAfterAShortPage() {
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .withRequestBody(WireMock.containing("\"queryparams\":\"0\""))
                .willReturn(aResponse().withStatus(200).withBody("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"executesqlquery","#result":{"#class":"dataset","#data":[
          {"K_CONTACT":1},{"K_CONTACT":2}]}}]}]
        """)));
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .withRequestBody(WireMock.containing("\"queryparams\":\"2\""))
                .willReturn(aResponse().withStatus(200).withBody("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"executesqlquery","#result":{"#class":"dataset","#data":[
          {"K_CONTACT":3}]}}]}]
        """)));

        List<Long> keys = client.contacts()
                .pages(ContactPageRequest.from(ContactCursor.start())
                        .fields(List.of())
                        .pageSize(2)
                        .withProfiles(false))
                .flatMap(p -> p.contacts().stream())
                .map(c -> c.key())
                .toList();

        assertThat(keys).containsExactly(1L, 2L, 3L);
        wm.verify(2, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void storedQuerySourceSendsNamedOrPipeParametersWithLowercaseRecordcount() {
        EfficyClient named = EfficyWireMock.client(wm, new EfficyWireMock.RecordingSleeper())
                .contactSource(ContactSource.storedQueries(99990034).build())
                .build();
        answer("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"query","key":99990034,"recordcount":50,"param1":"5"}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[{"@name":"query","key":"99990034",
          "#result":{"#class":"dataset","#data":{"data":[{"K_CONTACT":6}]}}}]}]
        """);
        assertThat(named.contacts()
                        .page(ContactPageRequest.from(ContactCursor.afterKey(5))
                                .fields(List.of())
                                .pageSize(50)
                                .withProfiles(false))
                        .contacts())
                .extracting(c -> c.key())
                .containsExactly(6L);

        EfficyClient pipe = EfficyWireMock.client(wm, new EfficyWireMock.RecordingSleeper())
                .queryParameterStyle(QueryParameterStyle.PIPE)
                .build();
        answer("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"query","key":31,"recordcount":0,"queryparams":"a|b"}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[{"@name":"query","#result":{"#class":"dataset","#data":[{"K_CONTACT":1},{"K_CONTACT":2}]}}]}]
        """);
        Dataset rows = pipe.queries().rows(31, List.of("a", "b"), 0);
        assertThat(rows.size()).isEqualTo(2);
    }

    @Test
    void contactConsultReadsChosenFieldsCategoriesAndProfiles() {
        answer("""
        [{"#id":"c0","@name":"consult","entity":"Cont","key":12345,"closecontext":true,"@func":[
          {"@name":"master"},{"@name":"category","category":"CONT$EMPLOYEE"},{"@name":"detail","detail":"Prof"}]}]
        """, """
        [{"#id":"c0","@name":"consult","entity":"Cont","key":"12345","consulthandle":"77","@func":[
          {"@name":"master","#result":{"#class":"dataset","#data":[{"K_CONTACT":12345,"NAME":"Doe","EMAIL1":"j@x.com","MEMO":"long"}]}},
          {"@name":"category","category":"CONT$EMPLOYEE","#result":{"#class":"dataset","#data":[{"F_TIER":"Gold"}]}},
          {"@name":"detail","detail":"Prof","#result":{"#class":"dataset","#data":[{"K_PROFILE":3},{"K_PROFILE":"9"}]}}]}]
        """);

        ContactRecord record = client.contacts()
                .get(12345, new ContactRead(List.of("NAME", "EMAIL1"), List.of("CONT$EMPLOYEE"), true, "K_PROFILE"))
                .orElseThrow();

        assertThat(record.master().fields()).containsExactly("NAME", "EMAIL1");
        assertThat(record.master().text("EMAIL1")).contains("j@x.com");
        assertThat(record.categories().get("CONT$EMPLOYEE").text("F_TIER")).contains("Gold");
        assertThat(record.profiles()).containsExactlyInAnyOrder(3L, 9L);
    }

    @Test
    void severalContactsAreReadInOneRequestWithOneConsultContextEach() {
        answer("""
        [{"#id":"c0","@name":"consult","entity":"Cont","key":7,"closecontext":true,"@func":[{"@name":"master"}]},
         {"#id":"c1","@name":"consult","entity":"Cont","key":8,"closecontext":true,"@func":[{"@name":"master"}]}]
        """, """
        [{"#id":"c0","@name":"consult","entity":"Cont","key":"7","@func":[
          {"@name":"master","#result":{"#class":"dataset","#data":[{"K_CONTACT":7,"NAME":"Doe","F_NEWSLETTER":"1"}]}}]},
         {"#id":"c1","@name":"consult","entity":"Cont","key":"8","@func":[
          {"@name":"master","#result":{"#class":"dataset","#data":[]}}]}]
        """);

        Map<Long, ContactRecord> records = client.contacts()
                .getAll(List.of(7L, 8L, 7L), new ContactRead(List.of("F_NEWSLETTER"), List.of(), false, "K_PROFILE"));

        assertThat(records).containsOnlyKeys(7L);
        assertThat(records.get(7L).master().text("F_NEWSLETTER")).contains("1");
        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void checkboxWriteIsACommittedEditWithUpdate() {
        answer("""
        [{"#id":"c0","@name":"edit","entity":"Cont","key":12345,"commit":true,"closecontext":true,
          "@func":[{"@name":"update","@data":{"F_NEWSLETTER":"0"}}]}]
        """, """
        [{"#id":"c0","@name":"edit","entity":"Cont","key":12345,"edithandle":"5","@func":[{"@name":"update"}]}]
        """);

        client.contacts().setCheckbox(12345, "F_NEWSLETTER", false);

        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void profileLinksUseStatelessAddlinkAndDeletelinkIgnoringExisting() {
        answer("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"addlink","entity":"Cont","key":1,"detail":"Prof","detailkey":"7","ignoreexisting":true}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[{"@name":"addlink","#result":true}]}]
        """);
        answer("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"deletelink","entity":"Cont","key":1,"detail":"Prof","detailkey":"7","ignoreexisting":true}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[{"@name":"deletelink","#result":true}]}]
        """);

        client.contacts().addProfile(1, 7);
        client.contacts().removeProfile(1, 7);

        wm.verify(2, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void usersReadsKeysCodesAndKinds() {
        answer("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"userlist"}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[{"@name":"userlist","#result":{"#class":"dataset","#data":[
          {"K_USER":"169","USERCODE":"JDOE","FULLNAME":"Jane Doe","KIND":"0"},
          {"K_USER":28,"USERCODE":"SALES","KIND":1}]}}]}]
        """);

        assertThat(client.users().list())
                .containsExactly(
                        new EfficyUser(169, "JDOE", "Jane Doe", EfficyUser.Kind.USER),
                        new EfficyUser(28, "SALES", "", EfficyUser.Kind.GROUP));
    }

    @Test
    void createActivityLinksContactAssignsUsersAndCarriesTheSourceId() {
        answer("""
        [{"#id":"c0","@name":"edit","entity":"Acti","key":0,"commit":true,"closecontext":true,"@func":[
          {"@name":"insertDetail","detail":"Cont","detailkey":12345},
          {"@name":"setusers","users":[169],"clear":true},
          {"@name":"update","@data":{"SUBJECT":"Call back","MEMO":"From marketing","PLANNED":"0","DONE":"0",
             "D_BEGIN":"2022-03-14T09:00:00","F_SOURCE_ID":"delivery-1"}}]}]
        """, """
        [{"#id":"c0","@name":"edit","entity":"Acti","key":"5551","edithandle":"3","commit":true,"@func":[
          {"@name":"insertDetail"},{"@name":"setusers"},{"@name":"update"}]}]
        """);

        long key = client.activities()
                .create(NewActivity.builder(12345, "delivery-1")
                        .subject("Call back")
                        .memo("From marketing")
                        .assignTo(169)
                        .begin(LocalDateTime.of(2022, 3, 14, 9, 0))
                        .build());

        assertThat(key).isEqualTo(5551);
    }

    @Test
    void createActivityOnceFindsTheExistingRecordAndCreatesNothing() {
        answer("""
        [{"#id":"c0","@name":"api","@func":[{"@name":"consultmanyex","entity":"Acti","findfield":"F_SOURCE_ID","keys":"corr-9","separator":";"}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[{"@name":"consultmanyex","#result":{"#class":"dataset","#data":[{"K_ACTION":"900"}]}}]}]
        """);

        ActivityResult result = client.activities()
                .createOnce(NewActivity.builder(1, "corr-9")
                        .subject("Opened")
                        .done(true)
                        .build());

        assertThat(result).isEqualTo(new ActivityResult(900, false));
        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void badNamesAndSizesFailBeforeAnyRequest() {
        assertThatThrownBy(() -> client.contacts()
                        .page(ContactPageRequest.from(ContactCursor.start())
                                .fields(List.of("NAME; drop table x"))
                                .pageSize(10)
                                .withProfiles(false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field name");
        assertThatThrownBy(() -> client.contacts()
                        .page(ContactPageRequest.from(ContactCursor.start())
                                .fields(List.of())
                                .pageSize(0)
                                .withProfiles(false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("page size");
        assertThatThrownBy(() -> client.contacts().updateFields(0, Map.of("NAME", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contact key");
        assertThatThrownBy(() -> client.contacts().setCheckbox(1, "F-X", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("F-X");
        assertThatThrownBy(() -> NewActivity.builder(1, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source id");
        assertThatThrownBy(() ->
                        EfficyClient.builder().baseUri(URI.create("https://x")).apiKey(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> EfficyClient.builder()
                        .baseUri(URI.create("http://crm.example.com"))
                        .apiKey("k")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plain http");
        wm.verify(0, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void contactKeysByEmailAsksEachDistinctAddressOnceInItsOwnFunction() {
        // The answer's columns are undocumented: each function's rows belong to the address it asked.
        answer("""
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"contactidsfromemailaddresses","recipients":"a@x.com"},
          {"@name":"contactidsfromemailaddresses","recipients":"b@y.com"},
          {"@name":"contactidsfromemailaddresses","recipients":"c@z.com"}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"contactidsfromemailaddresses","#result":{"#class":"dataset","#data":[{"K_CONTACT":1},{"K_CONTACT":"2"}]}},
          {"@name":"contactidsfromemailaddresses","#result":{"#class":"dataset","#data":[{"K_CONTACT":3}]}},
          {"@name":"contactidsfromemailaddresses","#result":{"#class":"dataset","#data":[]}}]}]
        """);

        Map<String, List<Long>> found =
                client.contacts().keysByEmail(List.of("A@X.com", "b@y.com", " ", "a@x.com", "c@z.com"));

        assertThat(found).containsOnly(Map.entry("a@x.com", List.of(1L, 2L)), Map.entry("b@y.com", List.of(3L)));
        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void lookUpsAreSplitIntoRequestsOfTheBatchSize() {
        EfficyClient small = EfficyClient.builder()
                .baseUri(URI.create(wm.baseUrl()))
                .apiKey("k")
                .lookupBatchSize(2)
                .retryPolicy(RetryPolicy.none())
                .build();
        wm.stubFor(post(urlEqualTo("/crm/json"))
                .willReturn(okJson("[{\"@name\":\"api\",\"@func\":[{\"#result\":{\"#class\":\"dataset\",\"#data\":[]}},"
                        + "{\"#result\":{\"#class\":\"dataset\",\"#data\":[]}}]}]")));

        assertThat(small.activities().find("F_SOURCE_ID", List.of("s1", "s2", "s3", "s4")))
                .isEmpty();

        wm.verify(2, postRequestedFor(urlEqualTo("/crm/json")));
    }

    @Test
    void manyActivitiesAreFoundWithOneExactMatchPerIdAndCreatedInOneRequest() {
        answer("""
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"consultmanyex","entity":"Acti","findfield":"F_SOURCE_ID","keys":"s1","separator":";"},
          {"@name":"consultmanyex","entity":"Acti","findfield":"F_SOURCE_ID","keys":"s2","separator":";"}]}]
        """, """
        [{"#id":"c0","@name":"api","@func":[
          {"@name":"consultmanyex","#result":{"#class":"dataset","#data":[]}},
          {"@name":"consultmanyex","#result":{"#class":"dataset","#data":[{"K_ACTION":"9","F_SOURCE_ID":"s2"}]}}]}]
        """);
        assertThat(client.activities().find("F_SOURCE_ID", List.of("s1", "s2"))).containsExactly(Map.entry("s2", 9L));

        answer("""
        [{"#id":"c0","@name":"edit","entity":"Acti","key":0,"commit":true,"closecontext":true,"@func":[
          {"@name":"insertDetail","detail":"Cont","detailkey":1},
          {"@name":"update","@data":{"SUBJECT":"a","PLANNED":"0","DONE":"1","F_SOURCE_ID":"s1"}}]},
         {"#id":"c1","@name":"edit","entity":"Acti","key":0,"commit":true,"closecontext":true,"@func":[
          {"@name":"insertDetail","detail":"Cont","detailkey":2},
          {"@name":"update","@data":{"SUBJECT":"b","PLANNED":"0","DONE":"1","F_SOURCE_ID":"s3"}}]}]
        """, """
        [{"#id":"c0","@name":"edit","key":"11","@func":[{"@name":"insertDetail"},{"@name":"update"}]},
         {"#id":"c1","@name":"edit","key":12,"@func":[{"@name":"insertDetail"},{"@name":"update"}]}]
        """);
        assertThat(client.activities()
                        .createAll(List.of(
                                NewActivity.builder(1, "s1")
                                        .subject("a")
                                        .done(true)
                                        .build(),
                                NewActivity.builder(2, "s3")
                                        .subject("b")
                                        .done(true)
                                        .build())))
                .containsExactly(11L, 12L);
    }

    @Test
    void severalContactsAreUpdatedInOneIdempotentRequest() {
        answer("""
        [{"#id":"c0","@name":"edit","entity":"Cont","key":1,"commit":true,"closecontext":true,
          "@func":[{"@name":"update","@data":{"F_BOUNCED":"1"}}]},
         {"#id":"c1","@name":"edit","entity":"Cont","key":2,"commit":true,"closecontext":true,
          "@func":[{"@name":"update","@data":{"F_LAST_OPENED":"2026-11-28T10:00:00"}}]}]
        """, """
        [{"#id":"c0","@name":"edit","@func":[{"@name":"update"}]},{"#id":"c1","@name":"edit","@func":[{"@name":"update"}]}]
        """);
        Map<Long, Map<String, String>> values = new LinkedHashMap<>();
        values.put(1L, Map.of("F_BOUNCED", "1"));
        values.put(2L, Map.of("F_LAST_OPENED", "2026-11-28T10:00:00"));

        client.contacts().updateFields(values);

        wm.verify(1, postRequestedFor(urlEqualTo("/crm/json")));
    }
}
