package io.crmsync.sync.internal.forward;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.consent.ConsentChange;
import io.crmsync.apsis.consent.ConsentOutcome;
import io.crmsync.apsis.error.ApsisGoneException;
import io.crmsync.apsis.error.ApsisNotFoundException;
import io.crmsync.apsis.error.ApsisValidationException;
import io.crmsync.apsis.profile.AttributePatch;
import io.crmsync.apsis.profile.ProfileKey;
import io.crmsync.sync.internal.plan.ConsentStep;
import io.crmsync.sync.internal.plan.ContactPlan;
import io.crmsync.sync.state.ContactSnapshot;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Carries out a {@link ContactPlan} with per-profile calls, in the plan's order. Every call is
 * idempotent (create answers 409 when the profile exists, consent 409 when nothing changes), so a
 * plan interrupted half-way can simply be carried out again.
 */
final class ProfileWriter {

    /**
     * How a plan ended.
     *
     * @param ok whether every step was accepted
     * @param quarantineReason why APSIS refused a step, or null
     * @param done the kinds of step APSIS accepted ({@code create}, {@code consent}, {@code attributes},
     *     {@code delete})
     * @param refused the kind of step APSIS refused, or null
     */
    record Result(boolean ok, String quarantineReason, Set<String> done, String refused) {}

    private final ApsisClient apsis;
    private final String section;
    private final String keyspace;
    private final String source;

    ProfileWriter(ApsisClient apsis, String section, String keyspace, String source) {
        this.apsis = apsis;
        this.section = section;
        this.keyspace = keyspace;
        this.source = source;
    }

    Result execute(ContactPlan plan) {
        ProfileKey key = new ProfileKey(keyspace, Long.toString(plan.contactKey()));
        boolean created = false;
        Set<String> done = new LinkedHashSet<>();
        String step = "delete";
        try {
            if (plan.deleteProfile()) {
                apsis.profiles().delete(key);
                return new Result(true, null, Set.of(step), null);
            }
            try {
                if (plan.createProfile()) {
                    step = "create";
                    // Created now, or by an earlier attempt of this plan that did not finish (409): ours either way.
                    apsis.profiles().create(key, section);
                    created = true;
                    done.add(step);
                }
                for (ConsentStep c : plan.beforePatch()) {
                    step = "consent";
                    consent(key, c);
                    done.add(step);
                }
                if (!plan.attributes().isEmpty()) {
                    step = "attributes";
                    apsis.profiles().patchAttributes(key, section, patch(plan.attributes()));
                    done.add(step);
                }
                for (ConsentStep c : plan.afterPatch()) {
                    step = "consent";
                    consent(key, c);
                    done.add(step);
                }
            } catch (ApsisNotFoundException e) {
                if (plan.next() == null || plan.createProfile()) {
                    throw e;
                }
                heal(key, plan);
            }
            return new Result(true, null, done, null);
        } catch (ApsisValidationException | ApsisGoneException e) {
            String reason = "APSIS refused " + e.method() + " " + route(e.path()) + ": HTTP "
                    + e.status().orElse(0) + e.detail().map(d -> " " + d).orElse("");
            if (created) {
                undoCreate(key);
            }
            return new Result(false, reason, done, step);
        }
    }

    /**
     * Deletes a profile this plan created when a later step was refused, so a refusal never leaves
     * a half-made profile (one holding only the CRM id). The contact is quarantined either way.
     */
    private void undoCreate(ProfileKey key) {
        try {
            apsis.profiles().delete(key);
        } catch (RuntimeException e) {
            // The quarantine stands; the next attempt finds the profile and completes it.
        }
    }

    /**
     * The profile was deleted in APSIS behind the engine's back: create it again with everything the
     * contact should have (all attributes, every opt-in), rather than failing on every later run.
     */
    private void heal(ProfileKey key, ContactPlan plan) {
        apsis.profiles().create(key, section);
        Map<String, Object> values = new LinkedHashMap<>();
        plan.next().attributes().forEach((a, v) -> {
            // A value the store kept only as a digest is not sent: the next change of it is.
            if (v != null && !ContactSnapshot.isDigest(v)) {
                values.put(a, v);
            }
        });
        if (!values.isEmpty()) {
            apsis.profiles().patchAttributes(key, section, patch(values));
        }
        for (Map.Entry<String, Boolean> c : new TreeMap<>(plan.next().consents()).entrySet()) {
            if (c.getValue()) {
                consent(
                        key,
                        new ConsentStep(
                                c.getKey().substring(0, c.getKey().lastIndexOf('|')),
                                c.getKey().substring(c.getKey().lastIndexOf('|') + 1),
                                true,
                                "Re-created after deletion in APSIS"));
            }
        }
    }

    private void consent(ProfileKey key, ConsentStep step) {
        ConsentChange change = step.optIn()
                ? ConsentChange.optIn(step.topic(), step.channel(), step.reason(), source)
                : ConsentChange.optOut(step.topic(), step.channel(), step.reason(), source);
        ConsentOutcome ignored = apsis.consents().create(key, section, change);
    }

    static AttributePatch patch(Map<String, Object> values) {
        AttributePatch.Builder b = AttributePatch.builder();
        values.forEach((a, v) -> {
            if (v == null) {
                b.clear(a);
            } else {
                b.set(a, v);
            }
        });
        return b.build();
    }

    private static String route(String path) {
        int profiles = path.indexOf("/profiles/");
        return profiles < 0 ? path : path.substring(path.lastIndexOf('/') + 1);
    }
}
