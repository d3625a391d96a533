package io.crmsync.efficy.activity;

import io.crmsync.efficy.internal.EfficyNames;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code Acti} record to create: a task for a user, or a history record marked done, linked to
 * one contact and carrying a source id so that a retry finds it instead of creating a twin.
 *
 * <p>Defaults: not planned ({@code PLANNED "0"}, a task rather than an appointment), not done,
 * source id in field {@code F_SOURCE_ID}. That {@code setusers} assigns the owner and that
 * {@code D_BEGIN} works on a task are inferred from public sources, not confirmed; the source-id
 * field is a customer field that must exist in the Efficy database (setup validation checks it).
 *
 * <pre>{@code
 * NewActivity task = NewActivity.builder(12345, "apsis-delivery-77")
 *     .subject("Call back")
 *     .memo("Asked for a demo")
 *     .assignTo(169)
 *     .begin(LocalDateTime.of(2026, 12, 1, 9, 0))
 *     .build();
 * }</pre>
 */
public final class NewActivity {

    private static final DateTimeFormatter WRITE_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final long contactKey;
    private final String sourceId;
    private final String sourceField;
    private final String subject;
    private final String memo;
    private final boolean done;
    private final LocalDateTime begin;
    private final List<Long> users;
    private final Map<String, String> extraFields;

    private NewActivity(Builder b) {
        this.contactKey = b.contactKey;
        this.sourceId = b.sourceId;
        this.sourceField = b.sourceField;
        this.subject = b.subject;
        this.memo = b.memo;
        this.done = b.done;
        this.begin = b.begin;
        this.users = List.copyOf(b.users);
        this.extraFields = Map.copyOf(b.extraFields);
    }

    /**
     * Starts a builder.
     *
     * @param contactKey K_CONTACT to link
     * @param sourceId the id of what caused this record (a correlation id, a webhook delivery id);
     *     must not contain {@code ;} (it is looked up with {@code consultmanyex})
     */
    public static Builder builder(long contactKey, String sourceId) {
        return new Builder(contactKey, sourceId);
    }

    /** K_CONTACT to link. */
    public long contactKey() {
        return contactKey;
    }

    /** The source id. */
    public String sourceId() {
        return sourceId;
    }

    /** The field holding the source id. */
    public String sourceField() {
        return sourceField;
    }

    /** SUBJECT. */
    public String subject() {
        return subject;
    }

    /** MEMO. */
    public Optional<String> memo() {
        return Optional.ofNullable(memo);
    }

    /** DONE: true for a history record. */
    public boolean done() {
        return done;
    }

    /** D_BEGIN. */
    public Optional<LocalDateTime> begin() {
        return Optional.ofNullable(begin);
    }

    /** K_USER of the assigned users. */
    public List<Long> users() {
        return users;
    }

    /** Other master fields to set. */
    public Map<String, String> extraFields() {
        return extraFields;
    }

    /** The {@code @data} row of the master {@code update}. */
    public Map<String, Object> masterData() {
        Map<String, Object> data = new LinkedHashMap<>(extraFields);
        data.put("SUBJECT", subject);
        if (memo != null) {
            data.put("MEMO", memo);
        }
        data.put("PLANNED", "0");
        data.put("DONE", done ? "1" : "0");
        if (begin != null) {
            data.put("D_BEGIN", WRITE_FORMAT.format(begin));
        }
        data.put(sourceField, sourceId);
        return data;
    }

    @Override
    public String toString() {
        return "NewActivity{contact=" + contactKey + ", source=" + sourceId + ", done=" + done + ", users=" + users
                + "}";
    }

    /** Builds a {@link NewActivity}. */
    public static final class Builder {
        private final long contactKey;
        private final String sourceId;
        private String sourceField = "F_SOURCE_ID";
        private String subject = "";
        private String memo;
        private boolean done;
        private LocalDateTime begin;
        private final List<Long> users = new ArrayList<>();
        private final Map<String, String> extraFields = new LinkedHashMap<>();

        private Builder(long contactKey, String sourceId) {
            this.contactKey = EfficyNames.requireKey("contact", contactKey);
            EfficyNames.requireText("source id", sourceId);
            if (sourceId.contains(";")) {
                throw new IllegalArgumentException("source id must not contain ';'");
            }
            if (sourceId.length() > 200) {
                throw new IllegalArgumentException("source id must be at most 200 characters");
            }
            this.sourceId = sourceId;
        }

        /** The field holding the source id; default {@code F_SOURCE_ID}. */
        public Builder sourceField(String field) {
            this.sourceField = EfficyNames.require("source field", field);
            return this;
        }

        /** SUBJECT. */
        public Builder subject(String subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
            return this;
        }

        /** MEMO. */
        public Builder memo(String memo) {
            this.memo = memo;
            return this;
        }

        /** DONE: true for a history record of something that happened. */
        public Builder done(boolean done) {
            this.done = done;
            return this;
        }

        /** D_BEGIN. */
        public Builder begin(LocalDateTime begin) {
            this.begin = begin;
            return this;
        }

        /** Adds an assigned user. */
        public Builder assignTo(long userKey) {
            users.add(EfficyNames.requireKey("user", userKey));
            return this;
        }

        /** Sets another master field, e.g. a response type field. */
        public Builder field(String field, String value) {
            String name = EfficyNames.require("field", field);
            if (List.of("SUBJECT", "MEMO", "PLANNED", "DONE", "D_BEGIN").contains(name)) {
                throw new IllegalArgumentException("field " + name + " has its own builder method");
            }
            extraFields.put(name, Objects.requireNonNull(value, "value of " + name));
            return this;
        }

        /** Builds the request. */
        public NewActivity build() {
            return new NewActivity(this);
        }
    }
}
