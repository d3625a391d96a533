package io.crmsync.examples.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No fully-qualified type name inline where an import would do: a qualified name is left only where
 * its simple name is a type of the file's own package (Jetty's {@code Server} beside ours).
 */
class SourceStyleTest {

    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])'", Pattern.DOTALL);
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.])(?:java|javax|jakarta|io\\.crmsync|com\\.fasterxml|org\\.[a-z]+)(?:\\.[a-z_][a-z0-9_]*)*\\.([A-Z]\\w*)");

    @Test
    void typesAreImportedNotQualifiedInline() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/"))
                    .filter(p ->
                            !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .toList()) {
                String code = COMMENTS_AND_STRINGS.matcher(Files.readString(f)).replaceAll(" ");
                for (String line : code.split("\n")) {
                    if (line.startsWith("import ") || line.startsWith("package ")) {
                        continue;
                    }
                    Matcher m = QUALIFIED.matcher(line);
                    while (m.find()) {
                        if (!Files.exists(f.resolveSibling(m.group(1) + ".java"))) {
                            found.add(f + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
