package io.crmsync.examples.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Files a reader can hold: no main source file over 400 lines, none over 500 in the testkit (its
 * emulators answer whole protocols). A facade delegates to classes named for one job each.
 */
class FileSizeTest {

    @Test
    void noMainFileIsLongerThanAReaderCanHold() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p ->
                            !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .toList()) {
                long lines;
                try (Stream<String> all = Files.lines(f)) {
                    lines = all.count();
                }
                long limit = f.toString().contains("/testkit/") ? 500 : 400;
                if (lines > limit) {
                    tooLong.add(f + ": " + lines + " lines (at most " + limit + ")");
                }
            }
        }
        assertThat(tooLong).isEmpty();
    }
}
