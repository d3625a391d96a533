package io.crmsync.sync.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.StopMatchingPolicy;
import io.crmsync.sync.SyncCondition;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.mapping.ValueConverter;
import io.crmsync.sync.state.ContactSnapshot;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class PlannerTest {

    static final String EMAIL = MappingProvider.EMAIL_ATTRIBUTE;
    static final String NEWS = "topic.news";
    static final String SLOT = NEWS + "|" + Channels.EMAIL;

    private final MappingProvider mapping = MappingProvider.of(List.of(
            FieldMapping.text("EMAIL1", EMAIL),
            FieldMapping.text("MOBILE", MappingProvider.MOBILE_ATTRIBUTE),
            new FieldMapping("F_SCORE", "attr.score", ValueConverter.NUMBER)));
    private final Planner planner = new Planner(
            mapping,
            ConsentPolicy.of(ConsentMapping.checkbox("F_NEWSLETTER", NEWS, Channels.EMAIL)),
            SyncCondition.equalTo("OPENED", "1"),
            StopMatchingPolicy.OPT_OUT);

    private static ContactData contact(Map<String, String> fields) {
        return new ContactData(7, fields, Set.of(), Optional.empty());
    }

    private static ContactSnapshot saved(ContactPlan plan) {
        ContactPlan.SnapshotContent n = plan.next();
        return new ContactSnapshot(
                7, 1, n.fingerprint(), n.attributes(), n.consents(), n.matched(), n.profileCreated(), Instant.EPOCH);
    }

    @Test
    void aNewContactIsCreatedWithItsValuesAndTickedConsent() {
        ContactPlan plan = planner.plan(
                contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_SCORE", "5", "F_NEWSLETTER", "1")),
                Optional.empty());
        assertThat(plan.outcome()).isEqualTo(ContactPlan.Outcome.CREATE);
        assertThat(plan.createProfile()).isTrue();
        assertThat(plan.attributes()).containsEntry(EMAIL, "a@x.com").containsEntry("attr.score", 5L);
        assertThat(plan.afterPatch()).containsExactly(new ConsentStep(NEWS, Channels.EMAIL, true, "Ticked in Efficy"));
        assertThat(plan.isImportable()).isTrue();
    }

    @Test
    void sameContentIsUnchangedAndOnlyChangedValuesArePatched() {
        Map<String, String> fields = Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_SCORE", "5", "F_NEWSLETTER", "1");
        ContactSnapshot s = saved(planner.plan(contact(fields), Optional.empty()));
        assertThat(planner.plan(contact(fields), Optional.of(s)).outcome()).isEqualTo(ContactPlan.Outcome.UNCHANGED);

        ContactPlan changed =
                planner.plan(contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_NEWSLETTER", "1")), Optional.of(s));
        assertThat(changed.outcome()).isEqualTo(ContactPlan.Outcome.UPDATE);
        assertThat(changed.attributes()).containsOnlyKeys("attr.score");
        assertThat(changed.afterPatch()).isEmpty();
    }

    @Test
    void whatAnotherWriterMayHaveOverwrittenIsSentAgainThoughTheSnapshotAgrees() {
        Map<String, String> fields = Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_SCORE", "5", "F_NEWSLETTER", "1");
        ContactSnapshot s = saved(planner.plan(contact(fields), Optional.empty()));

        ContactPlan plan =
                planner.plan(contact(fields), Optional.of(s), new Unknown(Set.of("attr.score"), Set.of(SLOT)));

        assertThat(plan.outcome()).isEqualTo(ContactPlan.Outcome.UPDATE);
        assertThat(plan.attributes()).containsOnlyKeys("attr.score").containsEntry("attr.score", 5L);
        assertThat(plan.afterPatch()).containsExactly(new ConsentStep(NEWS, Channels.EMAIL, true, "Ticked in Efficy"));
    }

    @Test
    void anUnknownConsentIsOptedOutWhenTheContactStopsMatching() {
        Map<String, String> fields = Map.of("OPENED", "1", "EMAIL1", "a@x.com");
        ContactSnapshot s = saved(planner.plan(contact(fields), Optional.empty()));
        assertThat(s.consents()).doesNotContainEntry(SLOT, true);

        ContactPlan plan = planner.plan(
                contact(Map.of("OPENED", "0", "EMAIL1", "a@x.com")),
                Optional.of(s),
                new Unknown(Set.of(), Set.of(SLOT)));

        assertThat(plan.outcome()).isEqualTo(ContactPlan.Outcome.STOPPED_MATCHING);
        assertThat(plan.afterPatch())
                .containsExactly(
                        new ConsentStep(NEWS, Channels.EMAIL, false, "No longer matches the sync condition in Efficy"));
    }

    @Test
    void aClearedFieldIsSentAsNullAndIsNotImportable() {
        Map<String, String> fields = Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_SCORE", "5");
        ContactSnapshot s = saved(planner.plan(contact(fields), Optional.empty()));
        ContactPlan plan = planner.plan(contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com")), Optional.of(s));
        assertThat(plan.attributes()).containsKey("attr.score");
        assertThat(plan.attributes().get("attr.score")).isNull();
        assertThat(plan.isImportable()).isFalse();
    }

    @Test
    void emailChangeOptsOutTheOldAddressBeforeThePatchAndOptsInAfter() {
        ContactSnapshot s = saved(planner.plan(
                contact(Map.of("OPENED", "1", "EMAIL1", "old@x.com", "F_NEWSLETTER", "1")), Optional.empty()));
        ContactPlan plan = planner.plan(
                contact(Map.of("OPENED", "1", "EMAIL1", "new@x.com", "F_NEWSLETTER", "1")), Optional.of(s));
        assertThat(plan.beforePatch()).extracting(ConsentStep::optIn).containsExactly(false);
        assertThat(plan.attributes()).containsEntry(EMAIL, "new@x.com");
        assertThat(plan.afterPatch())
                .extracting(ConsentStep::optIn, ConsentStep::reason)
                .containsExactly(Tuple.tuple(true, "E-mail address changed in Efficy"));
        assertThat(plan.next().consents()).containsEntry(SLOT, true);
    }

    /** The snapshot as a store that keeps no value in clear holds it. */
    private static ContactSnapshot digested(ContactSnapshot s) {
        Map<String, Object> digests = new HashMap<>();
        s.attributes().forEach((k, v) -> digests.put(k, ContactSnapshot.digest(v)));
        return new ContactSnapshot(
                s.contactKey(),
                s.version(),
                "stored",
                digests,
                s.consents(),
                s.matched(),
                s.profileCreated(),
                s.updatedAt());
    }

    @Test
    void aSnapshotKeptAsDigestsPlansExactlyLikeOneInClear() {
        Map<String, String> fields = Map.of("OPENED", "1", "EMAIL1", "old@x.com", "F_SCORE", "5", "F_NEWSLETTER", "1");
        ContactSnapshot s = digested(saved(planner.plan(contact(fields), Optional.empty())));
        assertThat(s.attributes().values()).allMatch(ContactSnapshot::isDigest);

        ContactPlan same = planner.plan(contact(fields), Optional.of(s));
        assertThat(same.attributes()).as("nothing to patch").isEmpty();
        assertThat(same.beforePatch()).isEmpty();

        ContactPlan moved = planner.plan(
                contact(Map.of("OPENED", "1", "EMAIL1", "new@x.com", "F_SCORE", "5", "F_NEWSLETTER", "1")),
                Optional.of(s));
        assertThat(moved.beforePatch()).extracting(ConsentStep::optIn).containsExactly(false);
        assertThat(moved.attributes()).containsOnlyKeys(EMAIL).containsEntry(EMAIL, "new@x.com");
    }

    @Test
    void untickedAfterOptInOptsOutAndNeverTickedDecidesNothing() {
        ContactSnapshot s = saved(planner.plan(
                contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_NEWSLETTER", "1")), Optional.empty()));
        ContactPlan untick =
                planner.plan(contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_NEWSLETTER", "0")), Optional.of(s));
        assertThat(untick.afterPatch())
                .containsExactly(new ConsentStep(NEWS, Channels.EMAIL, false, "Unticked in Efficy"));

        ContactPlan never = planner.plan(
                contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_NEWSLETTER", "0")), Optional.empty());
        assertThat(never.afterPatch()).isEmpty();
        assertThat(never.next().consents()).isEmpty();

        ContactPlan noAddress = planner.plan(contact(Map.of("OPENED", "1", "F_NEWSLETTER", "1")), Optional.empty());
        assertThat(noAddress.afterPatch()).as("no e-mail, no e-mail consent").isEmpty();
    }

    @Test
    void stoppingToMatchOptsOutUnderTheOptOutPolicyAndFilteredOutContactsCostNothing() {
        ContactSnapshot s = saved(planner.plan(
                contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com", "F_NEWSLETTER", "1")), Optional.empty()));
        ContactPlan stop =
                planner.plan(contact(Map.of("OPENED", "0", "EMAIL1", "a@x.com", "F_NEWSLETTER", "1")), Optional.of(s));
        assertThat(stop.outcome()).isEqualTo(ContactPlan.Outcome.STOPPED_MATCHING);
        assertThat(stop.afterPatch()).extracting(ConsentStep::optIn).containsExactly(false);
        assertThat(stop.next().matched()).isFalse();

        ContactPlan never = planner.plan(contact(Map.of("OPENED", "0")), Optional.empty());
        assertThat(never.outcome()).isEqualTo(ContactPlan.Outcome.FILTERED_OUT);
        assertThat(never.writes()).isFalse();
    }

    @Test
    void anUnconvertibleValueQuarantinesNamingTheFieldAndARefusedContentIsNotResent() {
        ContactPlan bad = planner.plan(contact(Map.of("OPENED", "1", "F_SCORE", "many")), Optional.empty());
        assertThat(bad.outcome()).isEqualTo(ContactPlan.Outcome.QUARANTINE);
        assertThat(bad.quarantineReason()).isEqualTo("field F_SCORE is not a number");

        ContactPlan plan = planner.plan(contact(Map.of("OPENED", "1", "EMAIL1", "refused@x.com")), Optional.empty());
        ContactSnapshot refused = new ContactSnapshot(
                7, 1, Planner.REJECTED + plan.next().fingerprint(), Map.of(), Map.of(), true, false, Instant.EPOCH);
        assertThat(planner.plan(contact(Map.of("OPENED", "1", "EMAIL1", "refused@x.com")), Optional.of(refused))
                        .outcome())
                .isEqualTo(ContactPlan.Outcome.STILL_REJECTED);
        assertThat(planner.plan(contact(Map.of("OPENED", "1", "EMAIL1", "good@x.com")), Optional.of(refused))
                        .outcome())
                .isEqualTo(ContactPlan.Outcome.CREATE);
    }

    @Test
    void invalidAddressesAndMobileNumbersAreQuarantinedBeforeAnyRequestWithoutQuotingThem() {
        for (String bad : List.of(
                "not-an-email",
                "a@b",
                "a@@x.com",
                "a b@x.com",
                ".a@x.com",
                "a..b@x.com",
                "a@-x.com",
                "a@x.c0m",
                "a@x.com.")) {
            ContactPlan plan = planner.plan(contact(Map.of("OPENED", "1", "EMAIL1", bad)), Optional.empty());
            assertThat(plan.outcome()).as(bad).isEqualTo(ContactPlan.Outcome.QUARANTINE);
            assertThat(plan.writes()).isFalse();
            assertThat(plan.quarantineReason())
                    .startsWith("the e-mail address in EMAIL1 ")
                    .doesNotContain(bad);
        }
        for (String good : List.of(
                "jane.doe+news@example.co.uk", "Ann@Sub.Example.COM", "jürgen@müller.de", "a@xn--mller-kva.de")) {
            assertThat(planner.plan(contact(Map.of("OPENED", "1", "EMAIL1", good)), Optional.empty())
                            .outcome())
                    .as(good)
                    .isEqualTo(ContactPlan.Outcome.CREATE);
        }
        ContactPlan badMobile = planner.plan(
                contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com", "MOBILE", "call me")), Optional.empty());
        assertThat(badMobile.outcome()).isEqualTo(ContactPlan.Outcome.QUARANTINE);
        assertThat(badMobile.quarantineReason()).startsWith("the mobile number in MOBILE ");
        assertThat(planner.plan(
                                contact(Map.of("OPENED", "1", "EMAIL1", "a@x.com", "MOBILE", "+32 (470) 12-34.56")),
                                Optional.empty())
                        .outcome())
                .isEqualTo(ContactPlan.Outcome.CREATE);
    }

    @Test
    void conditionsComposeWithAndOrNot() {
        ContactData c = contact(Map.of("OPENED", "1", "F_TIER", "Gold"));
        assertThat(SyncCondition.and(SyncCondition.equalTo("OPENED", "1"), SyncCondition.in("F_TIER", "Gold", "Silver"))
                        .matches(c))
                .isTrue();
        assertThat(SyncCondition.not(SyncCondition.notEmpty("EMAIL1")).matches(c))
                .isTrue();
        assertThat(SyncCondition.or(SyncCondition.equalTo("OPENED", "0"), SyncCondition.inProfile(2))
                        .matches(c))
                .isFalse();
        assertThat(SyncCondition.and(SyncCondition.equalTo("opened", "1"), SyncCondition.notEmpty("email1"))
                        .fields())
                .containsExactlyInAnyOrder("OPENED", "EMAIL1");
    }
}
