package io.crmsync.efficy;

import io.crmsync.efficy.rpc.ContextResult;
import io.crmsync.efficy.rpc.Dataset;
import io.crmsync.efficy.rpc.JsonRpcBatch;
import io.crmsync.efficy.rpc.Row;
import io.crmsync.efficy.rpc.RpcContext;
import io.crmsync.efficy.rpc.RpcFunc;
import io.crmsync.efficy.user.EfficyIdentity;
import io.crmsync.efficy.user.EfficyUser;
import java.util.ArrayList;
import java.util.List;

/**
 * Efficy users, groups, resources and teams. Get it from {@link EfficyClient#users()};
 * thread-safe.
 *
 * <pre>{@code
 * List<EfficyUser> users = efficy.users().list();
 * }</pre>
 */
public final class UserService {

    private final EfficyTransport transport;

    UserService(EfficyTransport transport) {
        this.transport = transport;
    }

    /** Users, groups, resources and teams from {@code userlist}. */
    public List<EfficyUser> list() {
        Dataset rows = transport
                .execute(JsonRpcBatch.builder("users")
                        .add(RpcContext.api().withFunc(RpcFunc.named("userlist")))
                        .build())
                .context(0)
                .func(0)
                .dataset();
        List<EfficyUser> users = new ArrayList<>(rows.size());
        for (Row row : rows.rows()) {
            users.add(new EfficyUser(
                    row.requireLong("K_USER"),
                    row.text("USERCODE").orElse(""),
                    row.text("FULLNAME").or(() -> row.text("NAME")).orElse(""),
                    EfficyUser.Kind.of(row.longValue("KIND").orElse(0))));
        }
        return users;
    }

    /** See {@link EfficyClient#whoAmI()}. */
    EfficyIdentity whoAmI() {
        RpcContext api = RpcContext.api();
        for (String f : List.of(
                "currentuserid",
                "currentusername",
                "currentuserfullname",
                "currentdatabasealias",
                "currentlicensename",
                "systemsettings")) {
            api = api.withFunc(RpcFunc.named(f));
        }
        ContextResult c = transport
                .execute(JsonRpcBatch.builder("whoAmI").add(api).build())
                .context(0);
        String userId = c.func(0).scalar().orElse("0").trim();
        long id = userId.matches("\\d{1,18}") ? Long.parseLong(userId) : 0;
        return new EfficyIdentity(
                id,
                c.func(1).scalar().orElse(""),
                c.func(2).scalar().orElse(""),
                c.func(3).scalar().orElse(""),
                c.func(4).scalar().orElse(""),
                c.func(5).keyValues());
    }
}
