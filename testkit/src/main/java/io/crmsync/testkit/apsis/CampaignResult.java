package io.crmsync.testkit.apsis;

import java.util.List;
import java.util.Map;

/**
 * What a simulated sendout produced.
 *
 * @param activityId the sendout's id in the export
 * @param counts distinct events per type (SENT, DELIVERED, OPENED, CLICKED, BOUNCED, UNSUBSCRIBED)
 * @param exportRows rows the export will serve, repeats included
 * @param unsubscribed the addresses that unsubscribed (and were opted out)
 */
public record CampaignResult(
        String activityId, Map<String, Integer> counts, int exportRows, List<String> unsubscribed) {

    /** Copies. */
    public CampaignResult {
        counts = Map.copyOf(counts);
        unsubscribed = List.copyOf(unsubscribed);
    }

    /** Distinct events in all. */
    public int events() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
