package io.crmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.cluster.ClusterKeys;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.ConfigKey;
import io.crmsync.config.keys.KeyDocs;
import io.crmsync.config.keys.KeyRegistry;
import io.crmsync.config.keys.KeyScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The key table of {@code docs/CONFIGURATION.md} and {@code cli/crmsync.properties.sample} are
 * what the registry writes, and the README names no key the registry does not know. Run with
 * {@code -Dcrmsync.docs.write=true} to write them anew after changing a key.
 */
class KeyDocsTest {

    private static final KeyRegistry KEYS = ClusterKeys.registry();
    private static final Path DOC = Path.of("../docs/CONFIGURATION.md");
    private static final Path SAMPLE = Path.of("crmsync.properties.sample");
    private static final String START = "<!-- keys:start (written by KeyDocsTest from the registry) -->\n";
    private static final String END = "<!-- keys:end -->";
    private static final boolean WRITE = Boolean.getBoolean("crmsync.docs.write");

    @Test
    void theConfigurationPagesTableIsTheRegistrys() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String table = KeyDocs.markdownTable(KEYS);
        int from = doc.indexOf(START) + START.length();
        int to = doc.indexOf(END);
        assertThat(from).as("docs/CONFIGURATION.md has the markers").isGreaterThanOrEqualTo(START.length());
        assertThat(to).isGreaterThanOrEqualTo(from);
        String current = doc.substring(from, to);
        if (WRITE && !current.equals(table)) {
            Files.writeString(DOC, doc.substring(0, from) + table + doc.substring(to), StandardCharsets.UTF_8);
            current = table;
        }
        assertThat(current)
                .as("docs/CONFIGURATION.md's table; write it anew with -Dcrmsync.docs.write=true")
                .isEqualTo(table);
    }

    @Test
    void theSampleFileIsTheRegistrysAndReadsWithoutWarnings() throws Exception {
        String sample = KeyDocs.sampleFile(KEYS, KeyScope.FILE, KeyScope.NODE);
        if (WRITE) {
            Files.writeString(SAMPLE, sample, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(SAMPLE, StandardCharsets.UTF_8))
                .as("write it anew with -Dcrmsync.docs.write=true")
                .isEqualTo(sample);
        CrmsyncConfig read = new CrmsyncConfig(CrmsyncConfig.load(SAMPLE), Map.of(), Map.of(), new Properties(), KEYS);
        assertThat(read.warnings(KeyScope.FILE)).isEmpty();
        assertThat(read.names())
                .allSatisfy(k -> assertThat(KEYS.knows(k, KeyScope.FILE)).as(k).isTrue());
    }

    @Test
    void theReadmeAndTheClusterPageNameOnlyKeysTheRegistryKnows() throws Exception {
        for (Path page :
                new Path[] {Path.of("../README.md"), Path.of("../docs/CLUSTER.md"), Path.of("../docs/EMULATORS.md")}) {
            if (!Files.exists(page)) {
                continue;
            }
            String text = Files.readString(page, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile(
                            "(?m)^(?:crmsync\\.)?((?:efficy|apsis|sync|reverse|response|taskWebhook|state|schedule|fullSync|webhooks|serve"
                                    + "|cluster|mapping|consent|condition|query)\\.[A-Za-z0-9.-]+)=")
                    .matcher(text);
            while (m.find()) {
                String key = m.group(1);
                String flat = key.contains("-") ? springToFlat(key) : key;
                assertThat(KEYS.knowsAnywhere(flat)).as(page + " names " + key).isTrue();
            }
        }
    }

    private static String springToFlat(String kebab) {
        for (ConfigKey<?> k : KEYS.keys()) {
            if (k.springName().equals("crmsync." + kebab)) {
                return k.name();
            }
        }
        return kebab;
    }
}
