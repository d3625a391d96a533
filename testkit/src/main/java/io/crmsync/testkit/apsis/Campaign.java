package io.crmsync.testkit.apsis;

import java.time.Instant;
import java.util.Objects;

/**
 * A simulated e-mail sendout: to every profile of a section opted in to a topic on the e-mail
 * channel with a valid address, with seeded shares of bounces, opens, clicks, unsubscribes, and of
 * export rows repeated (the export may repeat rows; consumers dedupe by correlation id).
 *
 * <pre>{@code
 * CampaignResult result = apsis.simulateCampaign(Campaign.newsletter("November news").withSeed(7));
 * }</pre>
 *
 * @param section the section
 * @param topic the topic recipients must be opted in to
 * @param activityName the sendout name
 * @param subject the subject
 * @param seed the random seed
 * @param bounceShare share of recipients whose message bounces
 * @param openShare share of delivered messages opened
 * @param clickShare share of opened messages clicked
 * @param unsubscribeShare share of delivered recipients who unsubscribe (opting them out)
 * @param duplicateShare share of events whose export row appears twice
 * @param sentAt when the sendout happens (null: the emulator's clock)
 */
public record Campaign(
        String section,
        String topic,
        String activityName,
        String subject,
        long seed,
        double bounceShare,
        double openShare,
        double clickShare,
        double unsubscribeShare,
        double duplicateShare,
        Instant sentAt) {

    /** Checks the shares. */
    public Campaign {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(topic, "topic");
        for (double share : new double[] {bounceShare, openShare, clickShare, unsubscribeShare, duplicateShare}) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("shares must be between 0 and 1");
            }
        }
    }

    /**
     * A newsletter to the default section's newsletter topic: 3% bounces, 40% opens, 30% of opens
     * clicked, 2% unsubscribes, 5% repeated rows, seed 1.
     */
    public static Campaign newsletter(String subject) {
        return new Campaign(
                Definitions.SECTION,
                Definitions.NEWSLETTER,
                "Newsletter",
                subject,
                1,
                0.03,
                0.4,
                0.3,
                0.02,
                0.05,
                null);
    }

    /** A copy with another seed. */
    public Campaign withSeed(long newSeed) {
        return new Campaign(
                section,
                topic,
                activityName,
                subject,
                newSeed,
                bounceShare,
                openShare,
                clickShare,
                unsubscribeShare,
                duplicateShare,
                sentAt);
    }

    /** A copy with other shares. */
    public Campaign withShares(double bounce, double open, double click, double unsubscribe, double duplicate) {
        return new Campaign(
                section, topic, activityName, subject, seed, bounce, open, click, unsubscribe, duplicate, sentAt);
    }

    /** A copy sent at {@code at}. */
    public Campaign sentAt(Instant at) {
        return new Campaign(
                section,
                topic,
                activityName,
                subject,
                seed,
                bounceShare,
                openShare,
                clickShare,
                unsubscribeShare,
                duplicateShare,
                at);
    }
}
