/**
 * {@code crmsync.jar}, the deployable runner: {@link io.crmsync.cli.Cli} (the commands),
 * {@link io.crmsync.cli.CrmsyncConfig} (the properties file and its overrides) and
 * {@link io.crmsync.cli.Server} ({@code serve}'s HTTP endpoints).
 */
package io.crmsync.cli;
