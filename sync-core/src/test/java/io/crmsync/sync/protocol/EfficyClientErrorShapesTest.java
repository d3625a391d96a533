package io.crmsync.sync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.error.EfficyAuthenticationException;
import io.crmsync.efficy.error.EfficyRpcException;
import io.crmsync.efficy.rpc.JsonRpcBatch;
import io.crmsync.efficy.rpc.RpcContext;
import io.crmsync.efficy.rpc.RpcFunc;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.efficy.EfficyErrorShape;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Efficy client's error handling against the emulator in every error shape the protocol notes
 * list (§2.3, §8): a real server may answer in any of them, and the error text must reach the
 * caller in each, with the batch after it still working.
 */
class EfficyClientErrorShapesTest {

    private static EfficyEmulator efficy;
    private static EfficyClient client;

    @BeforeAll
    static void start() {
        efficy = EfficyEmulator.start().seedContacts(5, 1);
        client = client(efficy.apiKey());
    }

    @AfterAll
    static void stop() {
        efficy.errorShape(EfficyErrorShape.EXCEPTION_ELEMENT);
        client.close();
        efficy.close();
    }

    private static EfficyClient client(String apiKey) {
        return EfficyClient.builder()
                .baseUri(URI.create(efficy.baseUri() + "/crm"))
                .customer(efficy.customer())
                .apiKey(apiKey)
                .build();
    }

    private static EfficyRpcException failure(RpcContext context) {
        return catchThrowableOfType(
                EfficyRpcException.class,
                () -> client.execute(JsonRpcBatch.builder("probe")
                        .add(RpcContext.api().withFunc(RpcFunc.named("currentuserid")))
                        .add(context)
                        .build()));
    }

    @ParameterizedTest
    @EnumSource(EfficyErrorShape.class)
    void aBadEntityReportsTheServersText(EfficyErrorShape shape) {
        efficy.errorShape(shape);

        EfficyRpcException e =
                failure(RpcContext.consult("Dummy", 1).closeContext(true).withFunc(RpcFunc.named("master")));

        assertThat(e.errorString()).hasValueSatisfying(s -> assertThat(s).contains("Invalid Entity \"Dummy\""));
        assertThat(e.errorCode()).contains("TAGS-2108");
        assertThat(client.whoAmI().userId()).as("the next batch works").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EfficyErrorShape.class)
    void badSqlReportsTheServersText(EfficyErrorShape shape) {
        efficy.errorShape(shape);

        EfficyRpcException e = failure(RpcContext.api()
                .withFunc(RpcFunc.named("executesqlquery")
                        .with("sql", "select * from fakeTable")
                        .with("queryparams", "")
                        .with("recordcount", 1)
                        .with("includeblobcontent", false)));

        assertThat(e.errorString())
                .hasValueSatisfying(
                        s -> assertThat(s).contains("EEfficyServerError").containsIgnoringCase("fakeTable"));
        assertThat(client.whoAmI().userId()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EfficyErrorShape.class)
    void anUnknownStoredQueryReportsTheServersText(EfficyErrorShape shape) {
        efficy.errorShape(shape);

        EfficyRpcException e = catchThrowableOfType(
                EfficyRpcException.class, () -> client.queries().rows(404, List.of(), 0));

        assertThat(e.errorString()).hasValueSatisfying(s -> assertThat(s).contains("Query 404 does not exist"));
    }

    @ParameterizedTest
    @EnumSource(EfficyErrorShape.class)
    void refusedCredentialsAreAnAuthenticationError(EfficyErrorShape shape) {
        efficy.errorShape(shape);
        try (EfficyClient wrong = client("not-the-key")) {
            EfficyAuthenticationException e = catchThrowableOfType(EfficyAuthenticationException.class, wrong::whoAmI);

            assertThat(e.getMessage()).contains("Invalid User").doesNotContain("not-the-key");
        }
    }

    @ParameterizedTest
    @EnumSource(EfficyErrorShape.class)
    void anExpiredSessionIsRenewedOnce(EfficyErrorShape shape) {
        efficy.errorShape(shape);
        client.whoAmI();
        efficy.expireSessions();

        assertThat(client.whoAmI().userId()).isEqualTo(1);
        assertThat(client.hasSession()).isTrue();
    }
}
