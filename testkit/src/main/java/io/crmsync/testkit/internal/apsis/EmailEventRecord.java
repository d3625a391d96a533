package io.crmsync.testkit.internal.apsis;

/**
 * One email event the emulator serves through the event export.
 *
 * @param activityId the sendout id
 * @param activityName its name
 * @param subject the subject
 * @param sender the sender address
 * @param address the recipient address
 * @param type SENT, DELIVERED, OPENED, CLICKED, BOUNCED, UNSUBSCRIBED or ABUSE
 * @param correlationId the event's correlation id
 * @param eventTime when it happened, ms since the epoch
 * @param serverTime when APSIS recorded it, ms since the epoch
 * @param profileId the emulator's internal profile id
 * @param section the section of the sendout
 */
public record EmailEventRecord(
        String activityId,
        String activityName,
        String subject,
        String sender,
        String address,
        String type,
        String correlationId,
        long eventTime,
        long serverTime,
        long profileId,
        String section) {}
