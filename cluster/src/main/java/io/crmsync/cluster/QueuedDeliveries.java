package io.crmsync.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import io.crmsync.config.webhook.WebhookAnswer;
import io.crmsync.config.webhook.WebhookTarget;
import io.crmsync.efficy.webhook.EfficyWebhookEvent;
import io.crmsync.sync.reverse.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tenant's admitted webhook deliveries, queued as one-time tasks keyed
 * {@code <tenant>/<kind>/<delivery id>} (a delivery queued twice is one task across the cluster),
 * run by whichever node picks them. An Efficy delivery keeps only its contact records' table, key,
 * operation and date (the engine reads every contact afresh), so no field value waits in the task
 * table; its delivery id is the body's SHA-256. A task delivery keeps its body (never its
 * secret); its id is the payload's {@code delivery_id}. Answers 200 {@code {"outcome":"queued"}};
 * a queue that cannot be written throws, and the gate answers 503 (and the node's gate answers 503
 * at once until the database answers again). Package-private.
 */
final class QueuedDeliveries implements WebhookTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tenant;
    private final SchedulerClient scheduler;
    private final TenantJobs jobs;
    private final Clock clock;
    private final AtomicLong accepted;
    private final DatabaseOutage outage;

    QueuedDeliveries(
            String tenant,
            SchedulerClient scheduler,
            TenantJobs jobs,
            Clock clock,
            AtomicLong accepted,
            DatabaseOutage outage) {
        this.tenant = tenant;
        this.scheduler = scheduler;
        this.jobs = jobs;
        this.clock = clock;
        this.accepted = accepted;
        this.outage = outage;
    }

    @Override
    public WebhookAnswer efficy(EfficyWebhookEvent event, byte[] body) {
        return queue("efficy", "sha256-" + sha256(body), contactHints(event));
    }

    @Override
    public WebhookAnswer task(TaskRequest request, byte[] body) {
        String id = request.deliveryId();
        String delivery = id.matches("[A-Za-z0-9._:-]+") ? id : "sha256-" + sha256(id.getBytes(StandardCharsets.UTF_8));
        return queue("apsis-task", delivery, body);
    }

    private WebhookAnswer queue(String kind, String delivery, byte[] body) {
        boolean fresh;
        try {
            fresh = scheduler.scheduleIfNotExists(
                    jobs.webhook.instance(
                            tenant + "/" + kind + "/" + delivery,
                            new TenantJobs.Delivery(tenant, kind, new String(body, StandardCharsets.UTF_8))),
                    clock.instant());
        } catch (RuntimeException queueDown) {
            outage.failed(queueDown);
            throw queueDown;
        }
        accepted.incrementAndGet();
        return WebhookAnswer.of(200, Map.of("outcome", fresh ? "queued" : "queued already"));
    }

    /** What of an Efficy webhook is queued: its contact records' table, key, operation and date. */
    private static byte[] contactHints(EfficyWebhookEvent event) {
        ObjectNode json = JSON.createObjectNode();
        json.put("database", event.database());
        json.put("version", event.version());
        ArrayNode records = json.putArray("records");
        for (EfficyWebhookEvent.Record r : event.contactRecords()) {
            ObjectNode record = records.addObject();
            record.put("table", r.table());
            record.put("key", r.key());
            String op = r.operation().name();
            record.put("operation", op.charAt(0) + op.substring(1).toLowerCase(Locale.ROOT));
            r.date().ifPresent(d -> record.put("date", d));
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
