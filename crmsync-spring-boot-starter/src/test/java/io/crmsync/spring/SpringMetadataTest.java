package io.crmsync.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.config.keys.CrmsyncKeys;
import io.crmsync.config.keys.KeyDocs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The starter's IDE metadata ({@code META-INF/spring-configuration-metadata.json}) is what the key
 * registry writes. Run with {@code -Dcrmsync.docs.write=true} to write it anew after changing a key.
 */
class SpringMetadataTest {

    private static final Path FILE = Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");

    @Test
    void theMetadataIsTheRegistrys() throws Exception {
        String expected = KeyDocs.springMetadata(CrmsyncKeys.registry());
        if (Boolean.getBoolean("crmsync.docs.write")) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "")
                .as("write it anew with -Dcrmsync.docs.write=true")
                .isEqualTo(expected);
    }
}
