package io.crmsync.sync.internal.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine will do in APSIS for one contact, in order: delete the profile; create it;
 * opt the old address out (e-mail change); patch attributes ({@code null} clears); write consents;
 * then save the new snapshot. An empty plan with {@link Outcome#UNCHANGED} or
 * {@link Outcome#FILTERED_OUT} writes nothing to APSIS.
 *
 * @param contactKey K_CONTACT
 * @param outcome the kind of change
 * @param deleteProfile whether to delete the profile
 * @param createProfile whether to create the profile (409 "exists" is fine)
 * @param beforePatch consent steps before the attribute patch (old address opt-outs)
 * @param attributes the attribute patch
 * @param afterPatch consent steps after the patch
 * @param next the snapshot content to save once APSIS confirmed, or null to save nothing
 * @param quarantineReason why the contact cannot be synced, for {@link Outcome#QUARANTINE}
 */
public record ContactPlan(
        long contactKey,
        Outcome outcome,
        boolean deleteProfile,
        boolean createProfile,
        List<ConsentStep> beforePatch,
        Map<String, Object> attributes,
        List<ConsentStep> afterPatch,
        SnapshotContent next,
        String quarantineReason) {

    /** What kind of change a plan is. */
    public enum Outcome {
        /** Create the profile. */
        CREATE,
        /** Update attributes and/or consents. */
        UPDATE,
        /** Nothing changed since the last sync. */
        UNCHANGED,
        /** Does not match the condition and was not synced before: nothing to do. */
        FILTERED_OUT,
        /** Stopped matching: leave, opt out or delete as configured. */
        STOPPED_MATCHING,
        /** Deleted in Efficy. */
        DELETED,
        /** Cannot be synced (a value cannot be converted). */
        QUARANTINE,
        /** APSIS refused this same content before and nothing changed since: not sent again. */
        STILL_REJECTED
    }

    /**
     * The snapshot content a plan saves.
     *
     * @param fingerprint the new fingerprint
     * @param attributes the attribute values now in APSIS
     * @param consents the consent states now in APSIS
     * @param matched whether the contact matches the condition
     * @param profileCreated whether the profile exists
     */
    public record SnapshotContent(
            String fingerprint,
            Map<String, Object> attributes,
            Map<String, Boolean> consents,
            boolean matched,
            boolean profileCreated) {}

    /** Copies the collections (the attribute patch keeps nulls). */
    public ContactPlan {
        beforePatch = List.copyOf(beforePatch);
        afterPatch = List.copyOf(afterPatch);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** Whether the plan writes anything to APSIS. */
    public boolean writes() {
        return deleteProfile
                || createProfile
                || !beforePatch.isEmpty()
                || !attributes.isEmpty()
                || !afterPatch.isEmpty();
    }

    /** Consent writes in the plan. */
    public int consentChanges() {
        return beforePatch.size() + afterPatch.size();
    }

    /**
     * Whether a CSV import can carry the whole plan: no delete, no clear, no opt-out, no
     * before-patch step.
     */
    public boolean isImportable() {
        return !deleteProfile
                && beforePatch.isEmpty()
                && !attributes.containsValue(null)
                && afterPatch.stream().allMatch(ConsentStep::optIn)
                && (createProfile || !attributes.isEmpty() || !afterPatch.isEmpty());
    }
}
