package io.crmsync.sync;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which contacts are synced. A contact that stops matching is handled by the engine's
 * {@link StopMatchingPolicy}. Conditions compose with {@link #and}, {@link #or} and {@link #not}.
 *
 * <pre>{@code
 * SyncCondition condition = SyncCondition.and(
 *     SyncCondition.equalTo("OPENED", "1"),
 *     SyncCondition.notEmpty("EMAIL1"),
 *     SyncCondition.not(SyncCondition.in("F_CUSTOMER_TIER", "Blocked", "Test")));
 * }</pre>
 */
public interface SyncCondition {

    /** Whether the contact is to be synced. */
    boolean matches(ContactData contact);

    /** The Efficy fields the condition reads (they are added to every contact read). */
    Set<String> fields();

    /** Every contact. */
    static SyncCondition always() {
        return of(Set.of(), c -> true, "always");
    }

    /** The field equals the value (case-sensitive, after trimming). */
    static SyncCondition equalTo(String field, String value) {
        Objects.requireNonNull(value, "value");
        return of(
                Set.of(name(field)),
                c -> c.field(field).map(String::trim).map(value::equals).orElse(false),
                field + " = " + value);
    }

    /** The field equals one of the values. */
    static SyncCondition in(String field, String... values) {
        Set<String> set = Set.of(values);
        return of(
                Set.of(name(field)),
                c -> c.field(field).map(String::trim).map(set::contains).orElse(false),
                field + " in " + set);
    }

    /** The field has a non-blank value. */
    static SyncCondition notEmpty(String field) {
        return of(Set.of(name(field)), c -> c.field(field).isPresent(), field + " not empty");
    }

    /** The contact belongs to the Efficy Profile. */
    static SyncCondition inProfile(long profileKey) {
        return of(Set.of(), c -> c.profiles().contains(profileKey), "in profile " + profileKey);
    }

    /** All conditions hold. */
    static SyncCondition and(SyncCondition... conditions) {
        List<SyncCondition> list = List.of(conditions);
        return of(union(list), c -> list.stream().allMatch(x -> x.matches(c)), "and" + list);
    }

    /** At least one condition holds. */
    static SyncCondition or(SyncCondition... conditions) {
        List<SyncCondition> list = List.of(conditions);
        return of(union(list), c -> list.stream().anyMatch(x -> x.matches(c)), "or" + list);
    }

    /** The condition does not hold. */
    static SyncCondition not(SyncCondition condition) {
        return of(condition.fields(), c -> !condition.matches(c), "not(" + condition + ")");
    }

    private static Set<String> union(List<SyncCondition> list) {
        Set<String> fields = new HashSet<>();
        list.forEach(c -> fields.addAll(c.fields()));
        return Set.copyOf(fields);
    }

    private static String name(String field) {
        if (field == null || !field.matches("[A-Za-z0-9_$]+")) {
            throw new IllegalArgumentException("condition field name must match [A-Za-z0-9_$]+, was '" + field + "'");
        }
        return field.toUpperCase(Locale.ROOT);
    }

    private static SyncCondition of(Set<String> fields, Predicate<ContactData> test, String description) {
        return new SyncCondition() {
            @Override
            public boolean matches(ContactData contact) {
                return test.test(contact);
            }

            @Override
            public Set<String> fields() {
                return fields;
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
