package io.crmsync.config.keys;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One configuration key, declared once in a {@link KeyRegistry}: its name, what it holds, its
 * default (taken from the builder's {@code DEFAULT_*} constant where there is one), whether it is
 * a secret (never printed, and in a tenant only ever a {@code ${NAME}} reference), where it may be
 * set, and one line of documentation. The CLI's parsing, the {@code CRMSYNC_*} environment names,
 * {@code crmsync config}, the Spring starter's binding and metadata, the cluster's node and tenant
 * keys, the sample file and the key table in {@code docs/CONFIGURATION.md} all come from here.
 *
 * <pre>{@code
 * static final ConfigKey<Integer> CONCURRENCY = ConfigKey.of("sync.concurrency", ValueType.integer(1, 64))
 *     .defaultValue(SyncEngine.Builder.DEFAULT_CONCURRENCY).doc("Threads writing to APSIS at once")
 *     .in(KeyScope.FILE, KeyScope.SPRING, KeyScope.TENANT).build();
 * }</pre>
 *
 * @param <T> the type of its value
 */
public final class ConfigKey<T> {

    private final String name;
    private final ValueType<T> type;
    private final T defaultValue;
    private final boolean secret;
    private final Set<KeyScope> scopes;
    private final String doc;
    private final String example;
    private final String group;
    private final List<String> formerNames;

    private ConfigKey(Builder<T> b) {
        this.name = b.name;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.secret = b.secret;
        this.scopes = Set.copyOf(b.scopes);
        this.doc = Objects.requireNonNull(b.doc, () -> b.name + " needs a doc line");
        this.example = b.example;
        this.group = Objects.requireNonNull(b.group, () -> b.name + " needs a group");
        this.formerNames = List.copyOf(b.formerNames);
    }

    /** Starts the declaration of a key. */
    public static <T> Builder<T> of(String name, ValueType<T> type) {
        return new Builder<>(name, type);
    }

    /** The key as written in a properties file, e.g. {@code efficy.apiKey}. */
    public String name() {
        return name;
    }

    /** What it holds. */
    public ValueType<T> type() {
        return type;
    }

    /** The value when the key is not set, if it has one. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as text, or empty. */
    public Optional<String> defaultText() {
        return defaultValue().map(type::format);
    }

    /** Whether the value is a secret: masked everywhere, a {@code ${NAME}} reference in tenants. */
    public boolean secret() {
        return secret;
    }

    /** Where it may be set. */
    public Set<KeyScope> scopes() {
        return scopes;
    }

    /** Whether it may be set in {@code scope}. */
    public boolean allowedIn(KeyScope scope) {
        return scopes.contains(scope);
    }

    /** One line saying what it is for. */
    public String doc() {
        return doc;
    }

    /** A value shown in the sample file, if any (else the default, commented out). */
    public Optional<String> example() {
        return Optional.ofNullable(example);
    }

    /** The heading it is listed under in the docs and the sample file. */
    public String group() {
        return group;
    }

    /** Names it had in earlier releases, still read with a warning naming the change. */
    public List<String> formerNames() {
        return formerNames;
    }

    /**
     * The environment variable that overrides it: {@code CRMSYNC_} and the name in upper case, dots
     * and camel-case humps as underscores ({@code efficy.apiKey} is {@code CRMSYNC_EFFICY_API_KEY}).
     */
    public String envName() {
        return envName(name);
    }

    /** The environment variable of any key name, as {@link #envName()}. */
    public static String envName(String name) {
        return "CRMSYNC_"
                + name.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                        .replace('.', '_')
                        .replace('-', '_')
                        .toUpperCase(Locale.ROOT);
    }

    /** Its name in Spring's relaxed, kebab-case form under {@code crmsync.}, e.g. {@code crmsync.efficy.api-key}. */
    public String springName() {
        return springName(name);
    }

    /** Any key name in Spring's kebab-case form under {@code crmsync.}. */
    public static String springName(String name) {
        return "crmsync." + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Declares a {@link ConfigKey}. */
    public static final class Builder<T> {
        private final String name;
        private final ValueType<T> type;
        private T defaultValue;
        private boolean secret;
        private final Set<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
        private String doc;
        private String example;
        private String group;
        private final ArrayList<String> formerNames = new ArrayList<>();

        private Builder(String name, ValueType<T> type) {
            if (name == null || !name.matches("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*")) {
                throw new IllegalArgumentException("a key name is dotted camel case, was '" + name + "'");
            }
            this.name = name;
            this.type = Objects.requireNonNull(type, "type");
        }

        /** The value when unset. */
        public Builder<T> defaultValue(T value) {
            this.defaultValue = value;
            return this;
        }

        /** Marks the key a secret. */
        public Builder<T> secret() {
            this.secret = true;
            return this;
        }

        /** Where it may be set. */
        public Builder<T> in(KeyScope first, KeyScope... more) {
            scopes.add(first);
            scopes.addAll(List.of(more));
            return this;
        }

        /** One line saying what it is for. */
        public Builder<T> doc(String doc) {
            this.doc = doc;
            return this;
        }

        /** A value for the sample file. */
        public Builder<T> example(String example) {
            this.example = example;
            return this;
        }

        /** The heading it is listed under. */
        public Builder<T> group(String group) {
            this.group = group;
            return this;
        }

        /** A name it had before, still read with a warning. */
        public Builder<T> formerly(String formerName) {
            formerNames.add(formerName);
            return this;
        }

        /** The key. */
        public ConfigKey<T> build() {
            if (scopes.isEmpty()) {
                throw new IllegalStateException(name + " needs at least one scope");
            }
            return new ConfigKey<>(this);
        }
    }
}
