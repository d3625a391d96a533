package io.crmsync.apsis.imports;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one import file ended.
 *
 * @param importId the import's id
 * @param rows data rows in the file
 * @param status its final status
 * @param result the {@code result} object of the last status answer (with APSIS's error report
 *     details when there are any)
 */
public record ImportOutcome(String importId, int rows, ImportStatus status, JsonNode result) {

    /** Whether the import completed. */
    public boolean completed() {
        return status == ImportStatus.COMPLETED;
    }
}
