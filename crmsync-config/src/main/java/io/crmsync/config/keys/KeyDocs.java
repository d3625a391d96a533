package io.crmsync.config.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The documents a {@link KeyRegistry} writes: the key table of {@code docs/CONFIGURATION.md}, the
 * sample properties file, and the Spring starter's configuration metadata (what an IDE completes).
 * The checked-in copies are held equal to these by tests, so the docs cannot drift from the keys.
 */
public final class KeyDocs {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private KeyDocs() {}

    /** The key table: one section per group, a row per key, then the families. */
    public static String markdownTable(KeyRegistry registry) {
        StringBuilder md = new StringBuilder();
        for (Map.Entry<String, List<ConfigKey<?>>> group : byGroup(registry).entrySet()) {
            md.append("### ").append(group.getKey()).append("\n\n");
            md.append("| key | value | default | where | what it is for |\n|---|---|---|---|---|\n");
            for (ConfigKey<?> k : group.getValue()) {
                md.append("| `").append(k.name()).append('`');
                k.formerNames().forEach(n -> md.append(" (was `").append(n).append("`)"));
                md.append(" | ")
                        .append(k.type().description())
                        .append(k.secret() ? ", secret" : "")
                        .append(" | ")
                        .append(k.defaultText().map(d -> "`" + d + "`").orElse("–"))
                        .append(" | ")
                        .append(scopes(k.scopes().stream().map(Enum::name).toList()))
                        .append(" | ")
                        .append(escape(k.doc()))
                        .append(" |\n");
            }
            List<KeyFamily> families = registry.families().stream()
                    .filter(f -> f.group().equals(group.getKey()))
                    .toList();
            for (KeyFamily f : families) {
                md.append("| `")
                        .append(f.shape())
                        .append("` | family | – | ")
                        .append(scopes(f.scopes().stream().map(Enum::name).toList()))
                        .append(" | ")
                        .append(escape(f.doc()))
                        .append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String scopes(List<String> names) {
        List<String> order = List.of("FILE", "SPRING", "TENANT", "NODE");
        return order.stream()
                .filter(names::contains)
                .map(n -> switch (n) {
                    case "FILE" -> "file";
                    case "SPRING" -> "Spring";
                    case "TENANT" -> "tenant";
                    default -> "node";
                })
                .collect(Collectors.joining(", "));
    }

    private static String escape(String doc) {
        return doc.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * A sample properties file of the keys in {@code scope} (a pair's file), each with its doc line,
     * an example value or its default commented out; then, commented out, the keys of
     * {@code commentedScope} alone (a cluster node's), so one sample shows every key.
     */
    public static String sampleFile(KeyRegistry registry, KeyScope scope, KeyScope commentedScope) {
        StringBuilder p = new StringBuilder();
        p.append("# crmsync configuration: java -jar cli/target/crmsync.jar <command> --config crmsync.properties\n")
                .append(
                        "# Generated from the key registry (io.crmsync.config.keys); docs/CONFIGURATION.md has the table.\n")
                .append("# Values may name environment variables as ${NAME}; keep secrets there, not in this file.\n");
        for (Map.Entry<String, List<ConfigKey<?>>> group : byGroup(registry).entrySet()) {
            List<ConfigKey<?>> keys =
                    group.getValue().stream().filter(k -> k.allowedIn(scope)).toList();
            List<KeyFamily> families = registry.families().stream()
                    .filter(f -> f.group().equals(group.getKey()) && f.scopes().contains(scope))
                    .toList();
            List<ConfigKey<?>> commented = group.getValue().stream()
                    .filter(k -> !k.allowedIn(scope) && k.allowedIn(commentedScope))
                    .toList();
            if (keys.isEmpty() && families.isEmpty() && commented.isEmpty()) {
                continue;
            }
            String heading = group.getKey()
                    + (commented.isEmpty() || !keys.isEmpty()
                            ? ""
                            : " (a node's file: crmsync cluster, crmsync tenant)");
            p.append("\n# --- ")
                    .append(heading)
                    .append(' ')
                    .append("-".repeat(Math.max(3, 90 - heading.length())))
                    .append('\n');
            for (ConfigKey<?> k : keys) {
                p.append("# ").append(k.doc()).append('\n');
                if (k.example().isPresent()) {
                    p.append(k.name()).append('=').append(k.example().get()).append('\n');
                } else {
                    p.append('#')
                            .append(k.name())
                            .append('=')
                            .append(k.defaultText().orElse(""))
                            .append('\n');
                }
            }
            for (KeyFamily f : families) {
                p.append("# ").append(f.shape()).append(": ").append(f.doc()).append('\n');
                f.examples().forEach(e -> p.append(e).append('\n'));
            }
            for (ConfigKey<?> k : commented) {
                p.append("# ").append(k.doc()).append('\n');
                p.append('#')
                        .append(k.name())
                        .append('=')
                        .append(k.example().or(k::defaultText).orElse(""))
                        .append('\n');
            }
        }
        return p.toString();
    }

    /**
     * Spring Boot's configuration metadata ({@code META-INF/spring-configuration-metadata.json}) of
     * the keys in {@link KeyScope#SPRING}, in their kebab-case form under {@code crmsync.}.
     */
    public static String springMetadata(KeyRegistry registry) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode groups = root.putArray("groups");
        groups.addObject().put("name", "crmsync").put("description", "crmsync: the keys of docs/CONFIGURATION.md");
        ArrayNode properties = root.putArray("properties");
        for (ConfigKey<?> k : registry.keys()) {
            if (!k.allowedIn(KeyScope.SPRING)) {
                continue;
            }
            ObjectNode p = properties.addObject();
            p.put("name", k.springName());
            p.put("type", k.type().javaType());
            p.put("description", k.doc() + ". (the CLI's " + k.name() + ")");
            k.defaultValue().ifPresent(d -> {
                if (d instanceof Boolean b) {
                    p.put("defaultValue", b);
                } else if (d instanceof Integer i) {
                    p.put("defaultValue", i);
                } else if (d instanceof Duration duration) {
                    p.put("defaultValue", duration.toString());
                } else {
                    p.put("defaultValue", k.defaultText().orElseThrow());
                }
            });
            for (String former : k.formerNames()) {
                ObjectNode old = properties.addObject();
                old.put("name", ConfigKey.springName(former));
                old.put("type", k.type().javaType());
                old.put("description", "Renamed: " + k.springName() + ".");
                old.putObject("deprecation").put("replacement", k.springName()).put("level", "warning");
            }
        }
        Map<String, List<KeyFamily>> byPrefix = new LinkedHashMap<>();
        registry.families().stream()
                .filter(f -> f.scopes().contains(KeyScope.SPRING))
                .forEach(f -> byPrefix.computeIfAbsent(f.prefix(), x -> new ArrayList<>())
                        .add(f));
        byPrefix.forEach((prefix, families) -> {
            ObjectNode p = properties.addObject();
            p.put("name", "crmsync." + prefix.substring(0, prefix.length() - 1));
            p.put("type", "java.util.Map<java.lang.String,java.lang.String>");
            p.put(
                    "description",
                    families.stream().map(f -> f.shape() + ": " + f.doc()).collect(Collectors.joining("; ")));
        });
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<ConfigKey<?>>> byGroup(KeyRegistry registry) {
        Map<String, List<ConfigKey<?>>> groups = new LinkedHashMap<>();
        for (ConfigKey<?> k : registry.keys()) {
            groups.computeIfAbsent(k.group(), g -> new ArrayList<>()).add(k);
        }
        for (KeyFamily f : registry.families()) {
            groups.computeIfAbsent(f.group(), g -> new ArrayList<>());
        }
        return groups;
    }
}
