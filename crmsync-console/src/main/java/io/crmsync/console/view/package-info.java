/**
 * What the console shows: immutable values a host's {@link io.crmsync.console.ConsoleBackend} reads
 * from its run journal, quarantine and cluster tables, the same ones {@code crmsync status} reads.
 */
package io.crmsync.console.view;
