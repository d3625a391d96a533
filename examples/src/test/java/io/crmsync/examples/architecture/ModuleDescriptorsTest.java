package io.crmsync.examples.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The library modules' {@code module-info}: a host on the module path resolves
 * {@code io.crmsync.sync} with the libraries crmsync names, and no {@code .internal} package is
 * exported. (Tests run on the class path, so nothing else would notice a wrong descriptor.)
 */
class ModuleDescriptorsTest {

    private static final List<String> LIBRARIES =
            List.of("io.crmsync.client", "io.crmsync.efficy", "io.crmsync.apsis", "io.crmsync.sync");

    private final ModuleFinder classPath =
            ModuleFinder.of(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(p -> !p.contains("examples"))
                    .map(Path::of)
                    .toArray(Path[]::new));

    private Map<String, ModuleDescriptor> libraries() {
        return classPath.findAll().stream()
                .map(ModuleReference::descriptor)
                .filter(d -> LIBRARIES.contains(d.name()))
                .collect(Collectors.toMap(ModuleDescriptor::name, d -> d));
    }

    @Test
    void everyLibraryModuleHasADescriptorThatExportsNoInternals() {
        Map<String, ModuleDescriptor> found = libraries();

        assertThat(found).containsOnlyKeys(LIBRARIES);
        found.values().forEach(d -> {
            assertThat(d.isAutomatic()).as(d.name()).isFalse();
            assertThat(d.exports())
                    .extracting(ModuleDescriptor.Exports::source)
                    .isNotEmpty()
                    .noneMatch(p -> p.contains(".internal"));
        });
        assertThat(found.get("io.crmsync.sync").packages()).contains("io.crmsync.sync.internal.forward");
    }

    @Test
    void theEngineResolvesOnTheModulePathWithItsRuntimeLibraries() {
        Configuration resolved = Configuration.resolve(
                classPath, List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(), Set.of("io.crmsync.sync"));

        assertThat(resolved.modules())
                .extracting(m -> m.name())
                .contains(
                        "io.crmsync.sync",
                        "io.crmsync.efficy",
                        "io.crmsync.apsis",
                        "io.crmsync.client",
                        "com.fasterxml.jackson.databind",
                        "org.slf4j");
    }
}
