package io.crmsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.crmsync.testkit.audit.ProtocolAudit;
import io.crmsync.testkit.efficy.EfficyErrorShape;
import io.crmsync.testkit.http.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EfficyEmulatorTest {

    private final EfficyEmulator efficy = EfficyEmulator.start().seedContacts(50, 7);

    @AfterEach
    void stop() {
        efficy.close();
    }

    private HttpResponse<String> rpc(String body) {
        return rpc(
                body,
                Map.of(
                        "X-Efficy-ApiKey",
                        efficy.apiKey(),
                        "X-Efficy-Customer",
                        "demo",
                        "Content-Type",
                        "application/json"));
    }

    private HttpResponse<String> rpc(String body, Map<String, String> headers) {
        return RawHttp.send("POST", URI.create(efficy.baseUri() + "/crm/json"), headers, body);
    }

    private JsonNode result(String body) {
        HttpResponse<String> r = rpc(body);
        assertThat(r.statusCode()).isEqualTo(200);
        return RawHttp.json(r);
    }

    @Test
    void bindsToLoopbackOnAFreePort() {
        assertThat(efficy.baseUri().getHost()).isEqualTo("127.0.0.1");
        assertThat(efficy.baseUri().getPort()).isPositive();
    }

    @Test
    void apiScalarsAndSettingsAnswerInRequestOrderWithEchoes() {
        JsonNode answer = result(
                "[{\"#id\":\"a\",\"@name\":\"api\",\"@func\":[{\"@name\":\"currentuserid\"},"
                        + "{\"@name\":\"systemsettings\"}]},{\"#id\":\"b\",\"@name\":\"api\",\"@func\":[{\"@name\":\"userlist\"}]}]");

        assertThat(answer.get(0).path("#id").asText()).isEqualTo("a");
        assertThat(answer.get(0).path("@func").get(0).path("#result").asText()).isEqualTo("1");
        assertThat(answer.get(0)
                        .path("@func")
                        .get(1)
                        .path("#result")
                        .path("#data")
                        .toString())
                .contains("Version=12.1.3");
        JsonNode users = answer.get(1).path("@func").get(0).path("#result").path("#data");
        assertThat(users.findValuesAsText("USERCODE")).contains("JDOE", "SALES");
    }

    @Test
    void executeSqlQueryBindsParametersAndHonoursRecordcount() {
        JsonNode answer = result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"executesqlquery\","
                + "\"sql\":\"select K_CONTACT, EMAIL1, D_CHANGE from CONTACTS where K_CONTACT > :p1 order by K_CONTACT\","
                + "\"queryparams\":\"10\",\"recordcount\":5}]}]");

        JsonNode rows = answer.get(0).path("@func").get(0).path("#result").path("#data");
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0).path("K_CONTACT").asLong()).isEqualTo(11);
        assertThat(rows.get(0).path("D_CHANGE").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    }

    @Test
    void editUpdatesFieldsSetsDChangeAndCreatesLinkedTasks() {
        Object before = efficy.contact(3).get("D_CHANGE");
        JsonNode answer = result(
                "[{\"@name\":\"edit\",\"entity\":\"Cont\",\"key\":3,\"commit\":true,\"closecontext\":true,"
                        + "\"@func\":[{\"@name\":\"update\",\"@data\":{\"F_NEWSLETTER\":\"0\",\"NAME\":\"Renamed\"}}]},"
                        + "{\"@name\":\"edit\",\"entity\":\"Acti\",\"key\":0,\"commit\":true,\"closecontext\":true,\"@func\":["
                        + "{\"@name\":\"insertDetail\",\"detail\":\"Cont\",\"detailkey\":3},{\"@name\":\"setusers\",\"users\":[169],\"clear\":true},"
                        + "{\"@name\":\"update\",\"@data\":{\"SUBJECT\":\"Call back\",\"PLANNED\":\"0\",\"DONE\":\"0\",\"F_SOURCE_ID\":\"d-1\"}}]}]");

        assertThat(efficy.contact(3)).containsEntry("NAME", "Renamed").containsEntry("F_NEWSLETTER", "0");
        assertThat((LocalDateTime) efficy.contact(3).get("D_CHANGE")).isAfterOrEqualTo((LocalDateTime) before);
        long acti = Long.parseLong(answer.get(1).path("key").asText());
        assertThat(efficy.activitiesOf(3)).singleElement().satisfies(a -> {
            assertThat(a)
                    .containsEntry("K_ACTION", acti)
                    .containsEntry("SUBJECT", "Call back")
                    .containsEntry("F_SOURCE_ID", "d-1");
            assertThat(a.get("USERS")).isEqualTo(List.of(169L));
        });
    }

    @Test
    void linksConsultAndLookupsFollowTheRelations() {
        result(
                "[{\"@name\":\"api\",\"@func\":[{\"@name\":\"addlink\",\"entity\":\"Cont\",\"key\":4,\"detail\":\"Prof\","
                        + "\"detailkey\":\"2\",\"ignoreexisting\":true},{\"@name\":\"deletelink\",\"entity\":\"Cont\",\"key\":4,"
                        + "\"detail\":\"Prof\",\"detailkey\":\"1\"}]}]");
        assertThat(efficy.profilesOf(4)).contains(2L).doesNotContain(1L);

        JsonNode consult = result("[{\"@name\":\"consult\",\"entity\":\"Cont\",\"key\":4,\"closecontext\":true,"
                + "\"@func\":[{\"@name\":\"master\"},{\"@name\":\"detail\",\"detail\":\"Prof\"}]}]");
        assertThat(consult.get(0).path("key").asText()).isEqualTo("4");
        assertThat(consult.get(0)
                        .path("@func")
                        .get(1)
                        .path("#result")
                        .path("#data")
                        .findValuesAsText("K_PROFILE"))
                .contains("2");

        String email = (String) efficy.contact(5).get("EMAIL1");
        JsonNode found = result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"contactidsfromemailaddresses\","
                + "\"recipients\":\"" + email.toUpperCase() + ";nobody@example.com\"}]}]");
        JsonNode rows = found.get(0).path("@func").get(0).path("#result").path("#data");
        assertThat(rows.findValuesAsText("K_CONTACT")).contains("5");
        // The notes do not document the columns: the emulator sends the contact key and nothing else.
        rows.forEach(row -> assertThat(row.fieldNames()).toIterable().containsExactly("K_CONTACT"));

        efficy.addStoredQuery(
                31, "Gold", "select K_CONTACT from CONTACTS where F_CUSTOMER_TIER = :p1 order by K_CONTACT");
        JsonNode named = result(
                "[{\"@name\":\"api\",\"@func\":[{\"@name\":\"query\",\"key\":31,\"recordcount\":0,\"param1\":\"Gold\"}]}]");
        JsonNode piped = result(
                "[{\"@name\":\"api\",\"@func\":[{\"@name\":\"query\",\"key\":31,\"recordcount\":0,\"queryparams\":\"Gold\"}]}]");
        assertThat(named.get(0)
                        .path("@func")
                        .get(0)
                        .path("#result")
                        .path("#data")
                        .size())
                .isPositive()
                .isEqualTo(piped.get(0)
                        .path("@func")
                        .get(0)
                        .path("#result")
                        .path("#data")
                        .size());

        JsonNode one = result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"consultmanyex\",\"entity\":\"Cont\","
                + "\"findfield\":\"K_CONTACT\",\"keys\":\"2\",\"separator\":\";\"}]}]");
        assertThat(one.get(0).path("@func").get(0).path("#result").path("#data").findValuesAsText("K_CONTACT"))
                .containsExactly("2");
    }

    @Test
    void consultManyExPairsFieldsWithValuesAndIsNoInList() {
        efficy.updateContact(3, Map.of("OPENED", "1"));
        JsonNode pair = result(
                "[{\"@name\":\"api\",\"@func\":[{\"@name\":\"consultmanyex\",\"entity\":\"Cont\","
                        + "\"findfield\":\"K_CONTACT;OPENED\",\"keys\":\"3;1\",\"separator\":\";\",\"orderbyfield\":\"D_CHANGE desc\"}]}]");
        assertThat(pair.get(0)
                        .path("@func")
                        .get(0)
                        .path("#result")
                        .path("#data")
                        .findValuesAsText("K_CONTACT"))
                .containsExactly("3");

        // One field with many values is what a client that mistook it for an IN list sends.
        JsonNode inList = result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"consultmanyex\",\"entity\":\"Cont\","
                + "\"findfield\":\"K_CONTACT\",\"keys\":\"1;2\",\"separator\":\";\"}]}]");
        assertThat(inList.get(inList.size() - 1).path("@name").asText()).isEqualTo("exception");
        assertThat(inList.get(inList.size() - 1)
                        .path("#error")
                        .path("errorstring")
                        .asText())
                .contains("1 field(s) but keys holds 2 value(s)");
    }

    @Test
    void unknownParameterNamesAreIgnoredLikeARealServerButRecorded() {
        JsonNode rows = result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"executesqlquery\","
                + "\"sql\":\"select K_CONTACT from CONTACTS\",\"recordCount\":5,\"loadBlobs\":false}]}]");

        assertThat(rows.get(0)
                        .path("@func")
                        .get(0)
                        .path("#result")
                        .path("#data")
                        .size())
                .isGreaterThan(5);
        assertThat(ProtocolAudit.drain())
                .extracting(ProtocolAudit.UnknownName::name)
                .containsExactly("loadBlobs", "recordCount");
    }

    @Test
    void errorsComeAsAnExceptionElementBesideEveryEchoedContextByDefault() {
        JsonNode badEntity = result("[{\"#id\":\"a\",\"@name\":\"api\",\"@func\":[{\"@name\":\"currentuserid\"}]},"
                + "{\"#id\":\"b\",\"@name\":\"consult\",\"entity\":\"Dummy\",\"key\":1,\"@func\":[{\"@name\":\"master\"}]},"
                + "{\"#id\":\"c\",\"@name\":\"api\",\"@func\":[{\"@name\":\"currentusername\"}]}]");
        assertThat(badEntity).hasSize(4);
        assertThat(badEntity.findValuesAsText("#id")).containsExactly("a", "b", "c");
        assertThat(badEntity.get(0).path("@func").get(0).path("#result").asText())
                .isEqualTo("1");
        assertThat(badEntity.get(3).path("@name").asText()).isEqualTo("exception");
        assertThat(badEntity.get(3).path("#error").path("errorstring").asText()).contains("Invalid Entity");

        JsonNode badFunc = result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"nosuchfunc\"}]}]");
        assertThat(badFunc.get(1).path("#error").path("errorstring").asText()).contains("Unknown function");

        JsonNode badSql = result(
                "[{\"@name\":\"api\",\"@func\":[{\"@name\":\"executesqlquery\",\"sql\":\"select * from fakeTable\"}]}]");
        assertThat(badSql.get(1).path("#error").path("errorstring").asText()).contains("EEfficyServerError");

        JsonNode badQuery = result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"query\",\"key\":404}]}]");
        assertThat(badQuery.get(1).path("#error").path("errorstring").asText()).contains("Query 404 does not exist");

        JsonNode badContext = result("[{\"@name\":\"frobnicate\",\"@func\":[]}]");
        assertThat(badContext.get(1).path("#error").path("errorstring").asText())
                .contains("Unknown context");

        JsonNode notArray = result("{\"@name\":\"api\"}");
        assertThat(notArray.path("error").asBoolean()).isTrue();

        JsonNode badKey = RawHttp.json(
                rpc("[{\"#id\":\"k\",\"@name\":\"api\",\"@func\":[]}]", Map.of("X-Efficy-ApiKey", "wrong")));
        assertThat(badKey.get(0).path("#id").asText()).isEqualTo("k");
        assertThat(badKey.get(1).path("#error").path("errorstring").asText()).isEqualTo("Invalid User");

        JsonNode badCustomer =
                RawHttp.json(rpc("[]", Map.of("X-Efficy-ApiKey", efficy.apiKey(), "X-Efficy-Customer", "other")));
        assertThat(badCustomer.path("#error").path("errorstring").asText()).contains("Invalid customer");

        efficy.httpUnauthorizedForBadCredentials(true);
        assertThat(rpc("[]", Map.of("X-Efficy-ApiKey", "wrong")).statusCode()).isEqualTo(401);
    }

    @Test
    void theErrorShapeSwitchGivesEachShapeOfTheNotes() {
        String badSql =
                "[{\"#id\":\"q\",\"@name\":\"api\",\"@func\":[{\"@name\":\"executesqlquery\",\"sql\":\"select * from fakeTable\"}]},"
                        + "{\"#id\":\"u\",\"@name\":\"api\",\"@func\":[{\"@name\":\"currentuserid\"}]}]";
        try {
            efficy.errorShape(EfficyErrorShape.INLINE_ERROR);
            JsonNode inline = result(badSql);
            assertThat(inline.get(0)
                            .path("@func")
                            .get(0)
                            .path("#error")
                            .path("errorstring")
                            .asText())
                    .containsIgnoringCase("fakeTable");
            assertThat(inline.get(1).path("@func").get(0).path("#result").asText())
                    .isEqualTo("1");
            JsonNode inlineEntity = result("[{\"@name\":\"consult\",\"entity\":\"Dummy\",\"key\":1,\"@func\":[]}]");
            assertThat(inlineEntity.get(0).path("#error").path("errorstring").asText())
                    .contains("Invalid Entity");

            efficy.errorShape(EfficyErrorShape.ERROR_OBJECT);
            assertThat(result(badSql).path("#error").path("errorstring").asText())
                    .containsIgnoringCase("fakeTable");

            efficy.errorShape(EfficyErrorShape.ERROR_FLAG_OBJECT);
            JsonNode flag = result(badSql);
            assertThat(flag.path("error").asBoolean()).isTrue();
            assertThat(flag.path("message").asText()).containsIgnoringCase("fakeTable");
        } finally {
            efficy.errorShape(EfficyErrorShape.EXCEPTION_ELEMENT);
        }
    }

    @Test
    void sessionsUseTheEfficySessionCookieExpireAndLogOff() {
        HttpResponse<String> first = rpc("[]");
        String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
        String cookie = setCookie.split(";")[0];
        assertThat(cookie).startsWith("EfficySession=");
        // Notes §1: path and expires, and an expires in the future (clients drop a cookie without one).
        assertThat(setCookie).contains("; path=/crm");
        String expires = setCookie.replaceAll(".*expires=([^;]+).*", "$1");
        assertThat(ZonedDateTime.parse(expires, DateTimeFormatter.RFC_1123_DATE_TIME))
                .isAfter(ZonedDateTime.now());
        assertThat(efficy.sessionCount()).isEqualTo(1);

        HttpResponse<String> again = rpc("[]", Map.of("X-Efficy-ApiKey", efficy.apiKey(), "Cookie", cookie));
        assertThat(again.headers().firstValue("set-cookie")).isEmpty();

        efficy.expireSessions();
        JsonNode stale = RawHttp.json(rpc("[]", Map.of("X-Efficy-ApiKey", efficy.apiKey(), "Cookie", cookie)));
        assertThat(stale.get(stale.size() - 1)
                        .path("#error")
                        .path("errorstring")
                        .asText())
                .isEqualTo("Session timeout");

        HttpResponse<String> fresh = rpc("[]");
        String next = fresh.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        rpc("[]", Map.of("X-Efficy-ApiKey", efficy.apiKey(), "Cookie", next, "X-Efficy-Logoff", "true"));
        assertThat(efficy.sessionCount()).isZero();
    }

    @Test
    void faultsAnswerStatusesHtml504ResetsAndDelays() {
        efficy.faults()
                .next(1, Fault.status(503))
                .next(1, Fault.html504())
                .next(1, Fault.connectionReset())
                .next(1, Fault.delay(Duration.ofMillis(200)));

        assertThat(rpc("[]").statusCode()).isEqualTo(503);
        HttpResponse<String> html = rpc("[]");
        assertThat(html.statusCode()).isEqualTo(504);
        assertThat(html.body()).startsWith("<html>");
        assertThatThrownBy(() -> rpc("[]")).isInstanceOf(UncheckedIOException.class);
        long start = System.nanoTime();
        assertThat(rpc("[]").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(efficy.journal().count("fault:503")).isEqualTo(1);
        assertThat(efficy.journal().count("fault:reset")).isEqualTo(1);
    }

    @Test
    void randomFaultsHitASeededShare() {
        efficy.faults().randomly(0.5, 11, Fault.status(500));
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            if (rpc("[]").statusCode() == 500) {
                failed++;
            }
        }
        assertThat(failed).isBetween(30, 70);
    }

    @Test
    void journalCountsContextsAndFunctions() {
        result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"userlist\"}]}]");
        result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"userlist\"}]}]");
        assertThat(efficy.journal().count("api:userlist")).isEqualTo(2);
    }

    @Test
    void webhooksArePostedAfterCreatesUpdatesAndDeletes() throws IOException {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            efficy.webhooks(
                    URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
            long key = efficy.createContact(Map.of("NAME", "New", "EMAIL1", "new@example.com"));
            result("[{\"@name\":\"edit\",\"entity\":\"Cont\",\"key\":" + key + ",\"commit\":true,"
                    + "\"@func\":[{\"@name\":\"update\",\"@data\":{\"NAME\":\"Newer\"}}]}]");
            efficy.deleteContact(key);

            assertThat(efficy.webhooksDelivered()).isEqualTo(3);
            List<JsonNode> records = bodies.stream()
                    .map(b -> {
                        try {
                            return RawHttp.JSON.readTree(b).path("records").get(0);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    })
                    .toList();
            assertThat(records)
                    .extracting(r -> r.path("operation").asText())
                    .containsExactly("Create", "Update", "Delete");
            assertThat(records).allSatisfy(r -> {
                assertThat(r.path("table").asInt()).isEqualTo(11000);
                assertThat(r.path("key").asLong()).isEqualTo(key);
                assertThat(r.path("date").asText()).isNotEmpty();
            });
            assertThat(records.get(1).path("fields").path("NAME").asText()).isEqualTo("Newer");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void seededDataIsDeterministicAndRealistic() {
        try (EfficyEmulator other = EfficyEmulator.start().seedContacts(50, 7)) {
            Map<String, Object> a = new HashMap<>(other.contact(17));
            Map<String, Object> b = new HashMap<>(efficy.contact(17));
            for (String time : List.of("D_CHANGE", "D_CREATE")) {
                a.remove(time);
                b.remove(time);
            }
            assertThat(a).isEqualTo(b).containsKey("EMAIL1");
        }
        assertThat(efficy.contactCount()).isEqualTo(50);
        long created = efficy.createContact(Map.of("NAME", "After seed"));
        assertThat(created).isEqualTo(51);
    }

    @Test
    void searchCategoriesDetailEditsAndDeletesWork() {
        JsonNode search = result("[{\"@name\":\"search\",\"entity\":\"Cont\",\"method\":\"SEARCHFAST\",\"value\":\""
                + efficy.contact(8).get("NAME") + "\",\"@func\":[{\"@name\":\"master\"}]}]");
        assertThat(search.get(0)
                        .path("@func")
                        .get(0)
                        .path("#result")
                        .path("#data")
                        .findValuesAsText("K_CONTACT"))
                .contains("8");

        result("[{\"@name\":\"edit\",\"entity\":\"Cont\",\"key\":8,\"commit\":true,\"@func\":["
                + "{\"@name\":\"update\",\"category\":\"CONT$MARKETING\",\"@data\":{\"F_SEGMENT\":\"B2B\"}},"
                + "{\"@name\":\"insertDetail\",\"detail\":\"Prof\",\"detailkey\":3},"
                + "{\"@name\":\"deleteDetail\",\"detail\":\"Prof\",\"detailkey\":1}]}]");
        JsonNode category = result("[{\"@name\":\"consult\",\"entity\":\"Cont\",\"key\":8,\"@func\":["
                + "{\"@name\":\"category\",\"category\":\"CONT$MARKETING\"}]}]");
        assertThat(category.get(0)
                        .path("@func")
                        .get(0)
                        .path("#result")
                        .path("#data")
                        .get(0)
                        .path("F_SEGMENT")
                        .asText())
                .isEqualTo("B2B");
        JsonNode noCategory = result("[{\"@name\":\"consult\",\"entity\":\"Cont\",\"key\":8,\"@func\":["
                + "{\"@name\":\"category\",\"category\":\"CONT$NOPE\"}]}]");
        assertThat(noCategory.get(1).path("#error").path("errorstring").asText())
                .contains("CONT$NOPE");
        assertThat(efficy.profilesOf(8)).contains(3L).doesNotContain(1L);

        JsonNode badField = result("[{\"@name\":\"edit\",\"entity\":\"Cont\",\"key\":8,\"commit\":true,"
                + "\"@func\":[{\"@name\":\"update\",\"@data\":{\"F_NOPE\":\"1\",\"NAME\":\"Changed\"}}]}]");
        assertThat(badField.get(1).path("#error").path("errorstring").asText()).contains("F_NOPE");
        assertThat(efficy.contact(8).get("NAME")).isNotEqualTo("Changed");

        result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"delete\",\"entity\":\"Cont\",\"keys\":\"8;9\"}]}]");
        assertThat(efficy.contact(8)).isEmpty();
        assertThat(efficy.contact(9)).isEmpty();
        assertThat(efficy.profilesOf(8)).isEmpty();
    }

    @Test
    void customersOnDemandAreMadeAtTheirFirstRequestWithTheSameContactsEveryTime() {
        String count = "[{\"@name\":\"api\",\"@func\":[{\"@name\":\"executesqlquery\","
                + "\"sql\":\"select count(*) as N from CONTACTS\",\"queryparams\":\"\"}]}]";
        long[] counts = new long[2];
        for (int run = 0; run < 2; run++) {
            try (EfficyEmulator server = EfficyEmulator.start()) {
                server.customersOnDemand("scale-");
                assertThat(server.customers()).doesNotContain("scale-42");
                JsonNode answer = RawHttp.json(RawHttp.send(
                        "POST",
                        URI.create(server.baseUri() + "/crm/json"),
                        Map.of("X-Efficy-ApiKey", "scale-42-key", "X-Efficy-Customer", "scale-42"),
                        count));
                counts[run] = answer.get(0)
                        .path("@func")
                        .get(0)
                        .path("#result")
                        .path("#data")
                        .get(0)
                        .path("N")
                        .asLong();
                assertThat(server.customers()).contains("scale-42");
                assertThat(server.contactCount())
                        .as("the first customer keeps none")
                        .isZero();
            }
        }
        assertThat(counts[0]).isBetween(20L, 200L).isEqualTo(counts[1]);
    }

    @Test
    void servesSeveralCustomersByAliasEachWithItsOwnDataAndKey() {
        try (EfficyEmulator acme = efficy.addCustomer("acme", "acme-key")) {
            acme.createContact(Map.of("NAME", "Acme only"));
            String count = "[{\"@name\":\"api\",\"@func\":[{\"@name\":\"executesqlquery\","
                    + "\"sql\":\"select count(*) as N from CONTACTS\",\"queryparams\":\"\"}]}]";

            JsonNode demo = result(count);
            JsonNode acmeAnswer =
                    RawHttp.json(rpc(count, Map.of("X-Efficy-ApiKey", "acme-key", "X-Efficy-Customer", "ACME")));
            JsonNode byQuery = RawHttp.json(RawHttp.send(
                    "POST",
                    URI.create(efficy.baseUri() + "/crm/json?customer=acme"),
                    Map.of("X-Efficy-ApiKey", "acme-key"),
                    count));
            JsonNode wrongKey =
                    RawHttp.json(rpc(count, Map.of("X-Efficy-ApiKey", efficy.apiKey(), "X-Efficy-Customer", "acme")));
            JsonNode unnamed = RawHttp.json(rpc(count, Map.of("X-Efficy-ApiKey", efficy.apiKey())));

            assertThat(demo.get(0)
                            .path("@func")
                            .get(0)
                            .path("#result")
                            .path("#data")
                            .get(0)
                            .path("N")
                            .asLong())
                    .isEqualTo(efficy.contactCount());
            assertThat(acmeAnswer
                            .get(0)
                            .path("@func")
                            .get(0)
                            .path("#result")
                            .path("#data")
                            .get(0)
                            .path("N")
                            .asLong())
                    .isEqualTo(1);
            assertThat(byQuery.get(0)
                            .path("@func")
                            .get(0)
                            .path("#result")
                            .path("#data")
                            .get(0)
                            .path("N")
                            .asLong())
                    .isEqualTo(1);
            assertThat(wrongKey.toString()).contains("Invalid User");
            assertThat(unnamed.path("#error").path("errorstring").asText()).contains("No customer named");
            assertThat(efficy.customers()).containsExactly("acme", "demo");
        }
        assertThat(efficy.customers()).containsExactly("demo");
        assertThat(result("[{\"@name\":\"api\",\"@func\":[{\"@name\":\"currentuserid\"}]}]")
                        .toString())
                .contains("#result");
    }

    @Test
    void theAdminRoutesCreateChangeListAndDeleteContactsPerCustomer() {
        try (EfficyEmulator efficy = EfficyEmulator.start()) {
            EfficyEmulator acme = efficy.addCustomer("acme", "acme-key");
            URI base = efficy.baseUri();
            HttpResponse<String> created = RawHttp.send(
                    "POST",
                    URI.create(base + "/_admin/contacts?customer=acme"),
                    Map.of("Content-Type", "application/json"),
                    "{\"NAME\":\"Doe\",\"EMAIL1\":\"jane@example.com\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            long key = RawHttp.json(created).path("key").asLong();
            assertThat(acme.contact(key)).containsEntry("EMAIL1", "jane@example.com");
            assertThat(efficy.contactCount()).as("the first customer has none").isZero();

            assertThat(RawHttp.send(
                                    "PATCH",
                                    URI.create(base + "/_admin/contacts/" + key + "?customer=acme"),
                                    Map.of("Content-Type", "application/json"),
                                    "{\"FIRSTNAME\":\"Jane\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(acme.contact(key)).containsEntry("FIRSTNAME", "Jane");
            assertThat(RawHttp.json(RawHttp.send(
                                    "GET", URI.create(base + "/_admin/contacts?customer=acme"), Map.of(), null))
                            .findValuesAsText("EMAIL1"))
                    .containsExactly("jane@example.com");
            assertThat(RawHttp.json(RawHttp.send("GET", URI.create(base + "/_admin/customers"), Map.of(), null))
                            .findValuesAsText("customer"))
                    .containsExactly("demo", "acme");
            assertThat(RawHttp.send(
                                    "PATCH",
                                    URI.create(base + "/_admin/contacts/" + key + "?customer=acme"),
                                    Map.of("Content-Type", "application/json"),
                                    "{\"NO_SUCH_FIELD\":\"x\"}")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(RawHttp.send(
                                    "DELETE",
                                    URI.create(base + "/_admin/contacts/" + key + "?customer=acme"),
                                    Map.of(),
                                    null)
                            .statusCode())
                    .isEqualTo(204);
            assertThat(acme.contact(key)).isEmpty();
            assertThat(RawHttp.send("GET", URI.create(base + "/_admin/contacts?customer=nobody"), Map.of(), null)
                            .statusCode())
                    .isEqualTo(404);
        }
    }
}
