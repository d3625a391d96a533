/**
 * The operators' web console: server-rendered pages (overview, quarantine, runs, cluster, a set-up
 * wizard) behind an admin token, with no script at all, for {@code serve}, every cluster node and
 * the Spring starter. A host hands each request below the console's path to {@link
 * io.crmsync.console.Console#handle} and writes back the {@link io.crmsync.console.ConsoleResponse};
 * what the pages show and do comes from the host's {@link io.crmsync.console.ConsoleBackend}.
 */
package io.crmsync.console;
