package io.crmsync.config;

import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.mapping.ValueConverter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A custom {@link MappingProvider}: the field mapping comes from properties, one line per field,
 * {@code mapping.<EFFICY_FIELD>=<attribute discriminator>[:TEXT|NUMBER|BOOLEAN|DATE]}. Its version
 * is a digest of the lines, so editing the file makes the next full sync re-send what changed.
 *
 * <pre>
 * mapping.EMAIL1=com.apsis1.attributes.email
 * mapping.F_SCORE=usercreated.attributes.score-a1b2c3d4e5:NUMBER
 * </pre>
 */
public final class PropertiesMappingProvider implements MappingProvider {

    private final MappingProvider delegate;

    /**
     * Reads the {@code mapping.*} properties.
     *
     * @throws IllegalArgumentException naming the property at fault
     */
    public PropertiesMappingProvider(Properties properties) {
        List<FieldMapping> mappings = new ArrayList<>();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (!name.startsWith("mapping.")) {
                continue;
            }
            String field = name.substring("mapping.".length());
            String value = properties.getProperty(name).trim();
            ValueConverter converter = ValueConverter.TEXT;
            int colon = value.lastIndexOf(':');
            if (colon == 0 || value.isEmpty()) {
                throw new IllegalArgumentException(
                        name + ": names no APSIS attribute (expected <attribute>[:<converter>])");
            }
            if (colon > 0) {
                String kind = value.substring(colon + 1).toUpperCase(Locale.ROOT);
                try {
                    converter = ValueConverter.valueOf(kind);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            name + ": unknown converter '" + kind + "' (TEXT, NUMBER, BOOLEAN, DATE)");
                }
                value = value.substring(0, colon);
            }
            try {
                mappings.add(new FieldMapping(field, value, converter));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage());
            }
        }
        if (mappings.isEmpty()) {
            throw new IllegalArgumentException("mapping.*: no field mapping is configured");
        }
        this.delegate = MappingProvider.of(mappings);
    }

    @Override
    public List<FieldMapping> mappings() {
        return delegate.mappings();
    }

    @Override
    public String version() {
        return delegate.version();
    }
}
