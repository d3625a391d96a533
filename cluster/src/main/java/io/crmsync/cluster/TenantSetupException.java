package io.crmsync.cluster;

import java.util.List;

/**
 * A tenant refused by {@link TenantAdmin} because its {@code validateSetup()} found problems (bad
 * credentials, a mapped field or topic missing…), or its configuration could not build an
 * engine. Nothing was stored. {@link #problems()} lists every problem at once.
 */
public final class TenantSetupException extends ClusterException {

    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    /** The tenant and its problems. */
    public TenantSetupException(String tenant, List<String> problems) {
        super("tenant " + tenant + " was not stored; its set-up has " + problems.size() + " problem(s): "
                + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found. */
    public List<String> problems() {
        return problems;
    }
}
