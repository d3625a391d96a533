package io.crmsync.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** What every command with a configuration takes: the file, {@code -D} overrides and {@code --strict}. */
final class ConfigOptions {

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "the properties file (see crmsync.properties.sample; docs/CONFIGURATION.md lists every key)")
    Path file;

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description = "overrides a key of the file (also: the environment variable CRMSYNC_<KEY>, "
                    + "the system property crmsync.<key>)")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--strict", description = "refuse unknown keys instead of warning about them")
    boolean strict;
}
