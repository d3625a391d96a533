package io.crmsync.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped Prometheus alert rules and Grafana dashboard ({@code docs/ops}), and the metrics they
 * use: tests compare them with what a host serves, so a renamed metric cannot leave an alert
 * silent.
 */
public final class OpsFiles {

    private static final Pattern METRIC = Pattern.compile("\\b((?:crmsync|jvm|process|hikaricp)_[a-z0-9_]+)");

    private OpsFiles() {}

    /** A file of {@code docs/ops}, read from a module's directory. */
    public static String read(String name) throws IOException {
        return Files.readString(Path.of("..", "docs", "ops", name), StandardCharsets.UTF_8);
    }

    /** The metrics a file uses that {@code scrape} (a Prometheus text) does not have. */
    public static Set<String> missing(String name, String scrape) throws IOException {
        Set<String> missing = new TreeSet<>();
        Matcher m = METRIC.matcher(read(name));
        while (m.find()) {
            String metric = m.group(1);
            if (!scrape.contains("\n" + metric + "{") && !scrape.contains("\n" + metric + " ")) {
                missing.add(metric);
            }
        }
        return missing;
    }

    /** How many metrics a file uses. */
    public static int used(String name) throws IOException {
        Set<String> used = new TreeSet<>();
        Matcher m = METRIC.matcher(read(name));
        while (m.find()) {
            used.add(m.group(1));
        }
        return used.size();
    }
}
