package io.crmsync.apsis.imports;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One status answer of an import.
 *
 * @param status the current status
 * @param result the whole {@code result} object as sent
 */
public record ImportProgress(ImportStatus status, JsonNode result) {}
