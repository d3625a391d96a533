package io.crmsync.apsis.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.apsis.consent.ConsentType;
import io.crmsync.apsis.internal.Discriminators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a v2 CSV import maps columns: which column holds the profile key of which keyspace, which
 * columns fill which attributes (by attribute <em>version id</em>), which columns carry consent
 * for which topic, and the options. The CSV's header names are the field selectors.
 *
 * <p>A consent column applies its consent to a row when the cell is truthy ({@code 1},
 * {@code true}, {@code yes}); empty or {@code 0} leaves the row's consent alone. That reading of
 * the cell is inferred from APSIS's Magento module, which writes 1/0.
 *
 * <pre>{@code
 * ImportRequest request = ImportRequest.builder("com.apsis1.keyspaces.crm-id", "crm_id")
 *     .attribute("email", "1201")
 *     .consent("email", "newsletter", "com.apsis1.channels.email", topic, ConsentType.OPT_IN)
 *     .build();
 * }</pre>
 */
public final class ImportRequest {

    /**
     * One consent column.
     *
     * @param addressColumn the column holding the address (e-mail or mobile) the consent is for
     * @param column the column deciding per row whether to apply it
     * @param channel the channel discriminator
     * @param topic the topic discriminator
     * @param type opt-in or opt-out
     * @param resubscribeIfOptedOut whether an opt-in overrides an earlier opt-out
     */
    public record ConsentColumn(
            String addressColumn,
            String column,
            String channel,
            String topic,
            ConsentType type,
            boolean resubscribeIfOptedOut) {}

    private final String keyspace;
    private final String keyColumn;
    private final Map<String, String> attributeColumns;
    private final List<ConsentColumn> consentColumns;
    private final boolean updateExistingProfiles;
    private final boolean clearExistingAttributes;

    private ImportRequest(Builder b) {
        this.keyspace = b.keyspace;
        this.keyColumn = b.keyColumn;
        this.attributeColumns = Map.copyOf(b.attributeColumns);
        this.consentColumns = List.copyOf(b.consentColumns);
        this.updateExistingProfiles = b.updateExistingProfiles;
        this.clearExistingAttributes = b.clearExistingAttributes;
    }

    /**
     * Starts a request.
     *
     * @param keyspace the keyspace of the profile keys
     * @param keyColumn the CSV column holding the profile key
     */
    public static Builder builder(String keyspace, String keyColumn) {
        return new Builder(keyspace, keyColumn);
    }

    /** The keyspace discriminator. */
    public String keyspace() {
        return keyspace;
    }

    /** The column holding the profile key. */
    public String keyColumn() {
        return keyColumn;
    }

    /** Column name to attribute version id. */
    public Map<String, String> attributeColumns() {
        return attributeColumns;
    }

    /** The consent columns. */
    public List<ConsentColumn> consentColumns() {
        return consentColumns;
    }

    /** The JSON body of {@code POST /v2/audience/sections/{section}/imports}. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.putObject("keyspace_mapping")
                .put("keyspace_discriminator", keyspace)
                .put("field_selector", keyColumn);
        root.putObject("options")
                .put("update_existing_profiles", updateExistingProfiles)
                .put("clear_existing_attributes", clearExistingAttributes);
        ArrayNode attributes = root.putArray("attribute_mappings");
        new TreeMap<>(attributeColumns)
                .forEach((column, version) ->
                        attributes.addObject().put("field_selector", column).put("attribute_version_id", version));
        ArrayNode consents = root.putArray("consent_mappings");
        Map<String, ArrayNode> byAddress = new LinkedHashMap<>();
        for (ConsentColumn c : consentColumns) {
            ArrayNode list = byAddress.computeIfAbsent(c.addressColumn(), address -> {
                ObjectNode mapping = consents.addObject();
                mapping.put("address_field_selector", address);
                return mapping.putArray("consents");
            });
            list.addObject()
                    .put("field_selector", c.column())
                    .put("channel_discriminator", c.channel())
                    .put("topic_discriminator", c.topic())
                    .put("type", c.type().wire())
                    .put("resubscribe_if_opted_out", c.resubscribeIfOptedOut());
        }
        return root;
    }

    /** Builds an {@link ImportRequest}. */
    public static final class Builder {
        private final String keyspace;
        private final String keyColumn;
        private final Map<String, String> attributeColumns = new LinkedHashMap<>();
        private final List<ConsentColumn> consentColumns = new ArrayList<>();
        private boolean updateExistingProfiles = true;
        private boolean clearExistingAttributes;

        private Builder(String keyspace, String keyColumn) {
            this.keyspace = Discriminators.require("keyspace", keyspace);
            this.keyColumn = column(keyColumn);
        }

        /** Maps a column to an attribute by its current version id. */
        public Builder attribute(String column, String attributeVersionId) {
            if (attributeVersionId == null || attributeVersionId.isBlank()) {
                throw new IllegalArgumentException("attribute version id for column " + column + " is blank");
            }
            attributeColumns.put(column(column), attributeVersionId);
            return this;
        }

        /** Adds a consent column (opt-ins resubscribe earlier opt-outs). */
        public Builder consent(String addressColumn, String column, String channel, String topic, ConsentType type) {
            consentColumns.add(new ConsentColumn(
                    column(addressColumn),
                    column(column),
                    Discriminators.require("channel", channel),
                    Discriminators.require("topic", topic),
                    Objects.requireNonNull(type, "type"),
                    type == ConsentType.OPT_IN));
            return this;
        }

        /** Whether existing profiles are updated; default true. */
        public Builder updateExistingProfiles(boolean update) {
            this.updateExistingProfiles = update;
            return this;
        }

        /** Whether attributes absent from the file are cleared; default false. */
        public Builder clearExistingAttributes(boolean clear) {
            this.clearExistingAttributes = clear;
            return this;
        }

        /** Builds the request. */
        public ImportRequest build() {
            return new ImportRequest(this);
        }

        private static String column(String name) {
            if (name == null || name.isBlank() || name.contains(",") || name.contains("\"") || name.contains("\n")) {
                throw new IllegalArgumentException(
                        "CSV column name '" + name + "' is blank or has , \" or a line break");
            }
            return name;
        }
    }
}
