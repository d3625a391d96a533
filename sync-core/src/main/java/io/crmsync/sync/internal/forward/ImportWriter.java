package io.crmsync.sync.internal.forward;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.consent.ConsentType;
import io.crmsync.apsis.definition.AttributeDefinition;
import io.crmsync.apsis.imports.ImportOutcome;
import io.crmsync.apsis.imports.ImportRequest;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.internal.plan.ConsentStep;
import io.crmsync.sync.internal.plan.ContactPlan;
import io.crmsync.sync.mapping.FieldMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out many plans with one v2 CSV import: one row per contact, one column per mapped
 * attribute (by its current version id) and one per consent slot ("1" applies the opt-in). Only
 * plans the import can carry whole are given to it ({@link #canCarry}): creates and updates that
 * set values and opt in. {@link ImportPipeline} streams the rows into import files.
 */
final class ImportWriter {

    /** The key column of every import: the Efficy contact key. */
    static final String KEY_COLUMN = "crm_id";

    private final ApsisClient apsis;
    private final String section;
    private final String keyspace;
    private final List<FieldMapping> attributes;
    private final List<String> slots;
    private final Map<String, Integer> slotIndex = new LinkedHashMap<>();

    ImportWriter(ApsisClient apsis, String section, String keyspace, MappingProvider mapping, ConsentPolicy consent) {
        this.apsis = apsis;
        this.section = section;
        this.keyspace = keyspace;
        this.attributes = mapping.mappings();
        this.slots =
                consent.mappings().stream().map(ConsentMapping::slot).distinct().toList();
        for (int i = 0; i < slots.size(); i++) {
            slotIndex.put(slots.get(i), i);
        }
    }

    /** Whether an import can carry the whole plan. */
    boolean canCarry(ContactPlan plan) {
        if (!plan.isImportable()) {
            return false;
        }
        for (ConsentStep step : plan.afterPatch()) {
            if (addressColumn(step.channel()).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The import's columns and request, resolved once per run: one column per mapped attribute (by
     * its current version id) and one per consent slot.
     */
    Layout layout() {
        List<String> header = new ArrayList<>();
        header.add(KEY_COLUMN);
        ImportRequest.Builder request = ImportRequest.builder(keyspace, KEY_COLUMN);
        for (int i = 0; i < attributes.size(); i++) {
            String attribute = attributes.get(i).attribute();
            String version = apsis.definitions()
                    .attribute(section, attribute)
                    .flatMap(AttributeDefinition::activeVersionId)
                    .orElseThrow(() -> new IllegalStateException("APSIS attribute " + attribute
                            + " has no current version" + " in section " + section + "; run validateSetup()"));
            header.add("a" + i);
            request.attribute("a" + i, version);
        }
        for (int j = 0; j < slots.size(); j++) {
            String slot = slots.get(j);
            String topic = slot.substring(0, slot.lastIndexOf('|'));
            String channel = slot.substring(slot.lastIndexOf('|') + 1);
            Optional<String> address = addressColumn(channel);
            header.add("c" + j);
            address.ifPresent(a -> request.consent(a, "c" + slots.indexOf(slot), channel, topic, ConsentType.OPT_IN));
        }
        return new Layout(List.copyOf(header), request.build());
    }

    /** The columns and the request of this engine's imports. */
    record Layout(List<String> header, ImportRequest request) {}

    /**
     * The rows of an import that APSIS did not apply, by row number (1-based) with the reason: all
     * of them when the import did not complete, else those in its error report.
     */
    static Map<Integer, String> failures(ImportOutcome outcome) {
        Map<Integer, String> failed = new HashMap<>();
        if (!outcome.completed()) {
            String reason = "APSIS import " + outcome.importId() + " ended " + outcome.status();
            for (int row = 1; row <= outcome.rows(); row++) {
                failed.put(row, reason);
            }
            return failed;
        }
        for (JsonNode error : outcome.result().path("errors")) {
            int row = error.path("row").asInt(0);
            if (row >= 1 && row <= outcome.rows()) {
                failed.put(
                        row,
                        "APSIS import refused the row: " + error.path("reason").asText("no reason given"));
            }
        }
        return failed;
    }

    /** The CSV row of a plan the import can carry, in {@link Layout#header} order. */
    List<String> row(ContactPlan plan) {
        List<String> row = new ArrayList<>();
        row.add(Long.toString(plan.contactKey()));
        Map<String, Object> values = plan.next().attributes();
        for (FieldMapping m : attributes) {
            Object v = values.get(m.attribute());
            row.add(v == null ? "" : v.toString());
        }
        String[] consent = new String[slots.size()];
        Arrays.fill(consent, "0");
        for (ConsentStep step : plan.afterPatch()) {
            consent[slotIndex.get(step.slot())] = "1";
        }
        row.addAll(List.of(consent));
        return row;
    }

    private Optional<String> addressColumn(String channel) {
        String attribute =
                channel.equals(Channels.SMS) ? MappingProvider.MOBILE_ATTRIBUTE : MappingProvider.EMAIL_ATTRIBUTE;
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i).attribute().equals(attribute)) {
                return Optional.of("a" + i);
            }
        }
        return Optional.empty();
    }
}
