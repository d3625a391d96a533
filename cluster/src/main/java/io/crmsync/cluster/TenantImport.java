package io.crmsync.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * One tenant of a bulk import ({@link TenantAdmin#importAll}): its id and configuration, and after
 * the import whether it was added and, if not, every problem found.
 *
 * @param id the tenant's id
 * @param config its configuration (secrets as {@code ${NAME}} references)
 */
public record TenantImport(String id, Properties config) {

    /** Checks the parts and copies the configuration. */
    public TenantImport {
        Objects.requireNonNull(id, "id");
        Properties copy = new Properties();
        copy.putAll(Objects.requireNonNull(config, "config"));
        config = copy;
    }

    @Override
    public Properties config() {
        Properties copy = new Properties();
        copy.putAll(config);
        return copy;
    }

    @Override
    public String toString() {
        return "TenantImport{id=" + id + ", keys=" + config.size() + "}";
    }

    /**
     * What became of one tenant of an import.
     *
     * @param id the tenant's id
     * @param added whether it is stored and scheduled now
     * @param problems why not (empty when added)
     */
    public record Result(String id, boolean added, List<String> problems) {

        /** Copies the list. */
        public Result {
            problems = List.copyOf(problems);
        }
    }
}
