package io.crmsync.efficy;

import io.crmsync.efficy.activity.ActivityResult;
import io.crmsync.efficy.activity.NewActivity;
import io.crmsync.efficy.error.EfficyTransportException;
import io.crmsync.efficy.internal.EfficyNames;
import io.crmsync.efficy.internal.Lists;
import io.crmsync.efficy.rpc.ContextResult;
import io.crmsync.efficy.rpc.Dataset;
import io.crmsync.efficy.rpc.JsonRpcBatch;
import io.crmsync.efficy.rpc.Row;
import io.crmsync.efficy.rpc.RpcContext;
import io.crmsync.efficy.rpc.RpcFunc;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Efficy actions ({@code Acti}): look-ups by source id, and creates linked to a contact and
 * assigned to users, once per source id. Get it from {@link EfficyClient#activities()};
 * thread-safe.
 *
 * <pre>{@code
 * ActivityResult task = efficy.activities().createOnce(NewActivity.builder(contactKey, deliveryId).subject("Call back").build());
 * }</pre>
 */
public final class ActivityService {

    private final EfficyTransport transport;
    private final int lookupBatchSize;
    private final String activityKeyField;

    ActivityService(EfficyTransport transport, int lookupBatchSize, String activityKeyField) {
        this.transport = transport;
        this.lookupBatchSize = lookupBatchSize;
        this.activityKeyField = activityKeyField;
    }

    /**
     * Keys of the {@code Acti} records carrying any of the source ids in {@code sourceField}. Each
     * id is one {@code consultmanyex} function with one field and one value, the exact match the
     * notes document (§3.4: several fields pair with as many values; it is not an IN list), and up
     * to {@link EfficyClient.Builder#lookupBatchSize} functions travel in one request. Needs no SQL right.
     *
     * @return source id to record key, for the ids found
     * @throws IllegalArgumentException for a bad field name, or an id that is blank or holds {@code ;}
     */
    public Map<String, Long> find(String sourceField, Collection<String> sourceIds) {
        EfficyNames.require("source field", sourceField);
        Set<String> ids = new LinkedHashSet<>();
        for (String id : sourceIds) {
            ids.add(checkedSourceId(id));
        }
        Map<String, Long> found = new LinkedHashMap<>();
        for (List<String> chunk : Lists.chunks(List.copyOf(ids), lookupBatchSize)) {
            RpcContext context = RpcContext.api();
            for (String id : chunk) {
                context = context.withFunc(activityLookup(sourceField, id));
            }
            ContextResult result = transport
                    .execute(JsonRpcBatch.builder("findActivities").add(context).build())
                    .context(0);
            for (int i = 0; i < chunk.size(); i++) {
                for (Row row : result.func(i).dataset().rows()) {
                    OptionalLong key = row.longValue(activityKeyField);
                    if (key.isPresent()) {
                        found.putIfAbsent(chunk.get(i), key.getAsLong());
                        break;
                    }
                }
            }
        }
        return found;
    }

    /**
     * Keys of the {@code Acti} records whose {@code sourceField} equals {@code sourceId}
     * ({@code consultmanyex}, an exact match that needs no SQL right).
     */
    public List<Long> find(String sourceField, String sourceId) {
        EfficyNames.require("source field", sourceField);
        RpcFunc f = activityLookup(sourceField, checkedSourceId(sourceId));
        Dataset rows = transport
                .execute(JsonRpcBatch.builder("findActivities")
                        .add(RpcContext.api().withFunc(f))
                        .build())
                .context(0)
                .func(0)
                .dataset();
        List<Long> keys = new ArrayList<>();
        for (Row row : rows.rows()) {
            row.longValue(activityKeyField).ifPresent(keys::add);
        }
        return keys;
    }

    private static String checkedSourceId(String id) {
        EfficyNames.requireText("source id", id);
        if (id.contains(";")) {
            throw new IllegalArgumentException("source id must not contain ';'");
        }
        return id;
    }

    private static RpcFunc activityLookup(String sourceField, String sourceId) {
        return RpcFunc.named("consultmanyex")
                .with("entity", "Acti")
                .with("findfield", sourceField)
                .with("keys", sourceId)
                .with("separator", ";");
    }

    /**
     * Creates several {@code Acti} records in one request (one committed {@code edit} context each).
     * Never retried; look the source ids up first ({@link #find(String, Collection)})
     * so a repeat after a failure creates no twin.
     *
     * @return the new keys, in order
     */
    public List<Long> createAll(List<NewActivity> activities) {
        if (activities.isEmpty()) {
            return List.of();
        }
        JsonRpcBatch.Builder batch = JsonRpcBatch.builder("createActivities");
        for (NewActivity a : activities) {
            batch.add(activityEdit(a));
        }
        List<Long> keys = new ArrayList<>();
        for (ContextResult c : transport.execute(batch.build()).contexts()) {
            OptionalLong key = c.key();
            if (key.isEmpty() || key.getAsLong() <= 0) {
                throw new EfficyTransportException(
                        "Efficy did not return a new Acti key", "createActivities", "-", 200, false, null);
            }
            keys.add(key.getAsLong());
        }
        return keys;
    }

    /**
     * Creates an {@code Acti} linked to the contact and assigned to the users, in one committed
     * {@code edit} with key 0. Never retried: a retried create could leave a twin. Prefer
     * {@link #createOnce}.
     *
     * @return the new record's key
     */
    public long create(NewActivity activity) {
        ContextResult result = transport
                .execute(JsonRpcBatch.builder("createActivity")
                        .add(activityEdit(activity))
                        .build())
                .context(0);
        OptionalLong key = result.key();
        if (key.isEmpty() || key.getAsLong() <= 0) {
            throw new EfficyTransportException(
                    "Efficy did not return the new Acti key", "createActivity", "-", 200, false, null);
        }
        return key.getAsLong();
    }

    private static RpcContext activityEdit(NewActivity activity) {
        RpcContext edit = RpcContext.edit("Acti", 0)
                .commit(true)
                .closeContext(true)
                .withFunc(
                        RpcFunc.named("insertDetail").with("detail", "Cont").with("detailkey", activity.contactKey()));
        if (!activity.users().isEmpty()) {
            edit = edit.withFunc(
                    RpcFunc.named("setusers").with("users", activity.users()).with("clear", true));
        }
        return edit.withFunc(RpcFunc.named("update").data(activity.masterData()));
    }

    /**
     * Creates the activity unless one with the same source id exists: looks the source id up first,
     * so a retry after a crash, or a replayed webhook, finds the record instead of creating a twin.
     */
    public ActivityResult createOnce(NewActivity activity) {
        List<Long> existing = find(activity.sourceField(), activity.sourceId());
        if (!existing.isEmpty()) {
            return new ActivityResult(existing.get(0), false);
        }
        return new ActivityResult(create(activity), true);
    }
}
