package io.crmsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.mapping.ValueConverter;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PropertiesMappingProviderTest {

    @Test
    void readsFieldsAndConvertersAndVersionsTheMappingByContent() {
        Properties p = new Properties();
        p.setProperty("mapping.EMAIL1", "com.apsis1.attributes.email");
        p.setProperty("mapping.F_SCORE", "usercreated.attributes.score:number");
        PropertiesMappingProvider mapping = new PropertiesMappingProvider(p);
        assertThat(mapping.mappings()).hasSize(2);
        assertThat(mapping.forAttribute("usercreated.attributes.score")
                        .orElseThrow()
                        .converter())
                .isEqualTo(ValueConverter.NUMBER);
        String version = mapping.version();
        p.setProperty("mapping.NAME", "com.apsis1.attributes.lastname");
        assertThat(new PropertiesMappingProvider(p).version()).isNotEqualTo(version);

        p.setProperty("mapping.F_BAD", "x:COLOUR");
        assertThatThrownBy(() -> new PropertiesMappingProvider(p)).hasMessageContaining("mapping.F_BAD");
    }
}
