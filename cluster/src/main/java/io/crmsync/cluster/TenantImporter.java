package io.crmsync.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A bulk import of tenants: each tenant checked on its own (offline always: keys, node settings,
 * URLs, secret names; live against both services unless deferred), {@code parallelism} at a time
 * (each tenant is its own APSIS account and Efficy customer, so the services' limits per account
 * hold whatever the parallelism), then stored and scheduled one by one in the input's order. A
 * tenant that fails its checks is left out with its problems; the others are added. Package-private.
 */
final class TenantImporter {

    private TenantImporter() {}

    /**
     * Imports tenants.
     *
     * @param check checks one tenant (throws {@link TenantSetupException} or {@link ClusterException} with its problems)
     * @param store stores and schedules one checked tenant (throws {@link ClusterException} when it cannot)
     */
    static List<TenantImport.Result> run(
            List<TenantImport> tenants, int parallelism, Function<Tenant, Tenant> check, Consumer<Tenant> store) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        List<TenantImport.Result> results = new ArrayList<>(tenants.size());
        Set<String> seen = new HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "crmsync-tenant-import");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Tenant>> checked = new ArrayList<>(tenants.size());
            for (TenantImport t : tenants) {
                boolean duplicate = !seen.add(t.id());
                checked.add(pool.submit(() -> {
                    if (duplicate) {
                        throw new ClusterException("tenant " + t.id() + " is in the file more than once");
                    }
                    return check.apply(Tenant.of(Tenant.checkId(t.id()), t.config()));
                }));
            }
            for (int i = 0; i < tenants.size(); i++) {
                String id = tenants.get(i).id();
                try {
                    Tenant tenant = checked.get(i).get();
                    store.accept(tenant);
                    results.add(new TenantImport.Result(id, true, List.of()));
                } catch (ExecutionException e) {
                    results.add(new TenantImport.Result(id, false, problems(e.getCause())));
                } catch (ClusterException e) {
                    results.add(new TenantImport.Result(id, false, problems(e)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("the import was interrupted after " + results.size() + " tenants", e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> problems(Throwable e) {
        if (e instanceof TenantSetupException s) {
            return s.problems();
        }
        return List.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
