package io.crmsync.apsis.profile;

import io.crmsync.apsis.internal.Discriminators;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A v2 attribute merge-patch, keyed by attribute discriminator. Setting a value and clearing one
 * are distinct (a JSON {@code null} clears; an attribute not in the patch is left alone), which is
 * why this is its own type rather than a map with optional values.
 *
 * <pre>{@code
 * AttributePatch patch = AttributePatch.builder()
 *     .set("com.apsis1.attributes.firstname", "Anna")
 *     .clear("com.apsis1.attributes.lastname")
 *     .build();
 * }</pre>
 */
public final class AttributePatch {

    private final Map<String, Object> values;

    private AttributePatch(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Starts an empty patch. */
    public static Builder builder() {
        return new Builder();
    }

    /** Discriminator to value; a {@code null} value means "clear". Iteration order is insertion. */
    public Map<String, Object> values() {
        return values;
    }

    /** Whether the patch changes nothing. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttributePatch && ((AttributePatch) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        // Values are personal data.
        return "AttributePatch" + values.keySet();
    }

    /** Builds an {@link AttributePatch}. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Sets an attribute. Values are sent in their JSON type: strings, numbers and booleans as
         * such; anything else as its {@code toString()}.
         */
        public Builder set(String discriminator, Object value) {
            Objects.requireNonNull(value, () -> "value of " + discriminator + " (use clear() to clear)");
            values.put(
                    Discriminators.require("attribute", discriminator),
                    value instanceof Number || value instanceof Boolean || value instanceof String
                            ? value
                            : value.toString());
            return this;
        }

        /** Clears an attribute (sends JSON {@code null}). */
        public Builder clear(String discriminator) {
            values.put(Discriminators.require("attribute", discriminator), null);
            return this;
        }

        /** Builds the patch. */
        public AttributePatch build() {
            return new AttributePatch(new LinkedHashMap<>(values));
        }
    }
}
