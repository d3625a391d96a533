package io.crmsync.testkit.http;

import java.time.Instant;

/**
 * One request an emulator served.
 *
 * @param at when it arrived
 * @param method the HTTP method
 * @param path the raw path with query
 * @param route the route it matched, with keys as placeholders (Efficy: the context and function
 *     names, e.g. {@code api:executesqlquery})
 * @param status the status answered (0 for a dropped connection)
 */
public record JournalEntry(Instant at, String method, String path, String route, int status) {}
