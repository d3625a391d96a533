package io.crmsync.testkit.internal.apsis;

import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.ConsentRecord;
import io.crmsync.testkit.apsis.Definitions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Simulates a sendout to the profiles opted in to a topic: sent, delivered, bounced, opened,
 * clicked and unsubscribed events with the shares of the {@link Campaign}, some repeated, and
 * the opt-outs of the unsubscribes. Package-private.
 */
final class CampaignSimulator {

    private final ApsisService service;

    CampaignSimulator(ApsisService service) {
        this.service = service;
    }

    /** Simulates a sendout; see {@link Campaign}. */
    CampaignResult simulate(Campaign c) {
        synchronized (service) {
            SplittableRandom random = new SplittableRandom(c.seed());
            Instant at = c.sentAt() != null ? c.sentAt() : service.clock.instant();
            long base = at.toEpochMilli();
            String activity = "act-" + Long.toHexString(random.nextLong() & 0xffffffffL);
            Map<String, Integer> counts = new TreeMap<>();
            List<String> unsubscribed = new ArrayList<>();
            List<EmailEventRecord> rows = new ArrayList<>();
            int recipient = 0;
            for (EmulatedProfile p : service.profilesIn(c.section())) {
                ConsentRecord consent = p.consents(c.section()).get(c.topic() + "|" + Definitions.EMAIL_CHANNEL);
                String address = service.address(p, c.section(), Definitions.EMAIL_CHANNEL);
                if (consent == null
                        || !(consent.type().equals("opt-in") || consent.type().equals("confirmed-opt-in"))
                        || address == null
                        || !ApsisService.EMAIL.matcher(address).matches()) {
                    continue;
                }
                long offset = recipient++;
                event(rows, counts, c, activity, address, "SENT", base + offset, p, random);
                if (random.nextDouble() < c.bounceShare()) {
                    event(rows, counts, c, activity, address, "BOUNCED", base + 2_000 + offset, p, random);
                    continue;
                }
                event(rows, counts, c, activity, address, "DELIVERED", base + 1_000 + offset, p, random);
                if (random.nextDouble() < c.openShare()) {
                    event(rows, counts, c, activity, address, "OPENED", base + 3_600_000 + offset, p, random);
                    if (random.nextDouble() < c.clickShare()) {
                        event(rows, counts, c, activity, address, "CLICKED", base + 3_630_000 + offset, p, random);
                    }
                }
                if (random.nextDouble() < c.unsubscribeShare()) {
                    event(rows, counts, c, activity, address, "UNSUBSCRIBED", base + 3_660_000 + offset, p, random);
                    service.consent(
                            p,
                            c.section(),
                            c.topic(),
                            Definitions.EMAIL_CHANNEL,
                            "opt-out",
                            address,
                            "Email unsubscribe",
                            "Unsubscribed from " + c.subject());
                    unsubscribed.add(address);
                }
            }
            service.emailEvents.addAll(rows);
            return new CampaignResult(activity, counts, rows.size(), unsubscribed);
        }
    }

    private void event(
            List<EmailEventRecord> rows,
            Map<String, Integer> counts,
            Campaign c,
            String activity,
            String address,
            String type,
            long time,
            EmulatedProfile p,
            SplittableRandom random) {
        // Some opens carry no client time (event_time 0): consumers fall back to server_time.
        long eventTime = type.equals("OPENED") && random.nextInt(10) == 0 ? 0 : time;
        EmailEventRecord record = new EmailEventRecord(
                activity,
                c.activityName(),
                c.subject(),
                "news@example.com",
                address,
                type,
                UUID.randomUUID().toString(),
                eventTime,
                time,
                p.id,
                c.section());
        rows.add(record);
        if (random.nextDouble() < c.duplicateShare()) {
            rows.add(record);
        }
        counts.merge(type, 1, Integer::sum);
    }
}
