package io.crmsync.cluster;

import io.crmsync.apsis.AccountBudget;
import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.EfficyListener;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.state.StateStore;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's engines, one per tenant, built on first use from the tenant's configuration and kept
 * in a bounded cache: beyond {@code capacity}, the least recently used engine that no run is using
 * is closed. An engine whose tenant changed (a new registry version) is replaced at its next use.
 * Engines are built outside the cache's lock, so one tenant's slow build (its schema's first
 * DDL) holds up no other tenant's runs. Thread-safe. Package-private.
 */
final class TenantEngines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantEngines.class);

    /** An engine in use by a run; closing gives it back. */
    interface Use extends AutoCloseable {
        SyncEngine engine();

        @Override
        void close();
    }

    /** A cached engine: built by the first run that needs it, outside the cache's lock. */
    private static final class Entry {
        final CompletableFuture<SyncEngine> engine = new CompletableFuture<>();
        final long version;
        int users;
        boolean stale;

        Entry(long version) {
            this.version = version;
        }

        /** The engine, or null while it is being built or when its build failed. */
        SyncEngine built() {
            return engine.isDone() && !engine.isCompletedExceptionally() ? engine.join() : null;
        }
    }

    private final int capacity;
    private final TenantConfigs configs;
    private final TenantStateStores stores;
    private final ExecutionLeases leases;
    private final AccountBudget budget;
    private final String node;
    private final Duration leaseTtl;
    /**
     * One HTTP client (one connection pool, one selector thread) for every tenant's Efficy and APSIS
     * clients on this node; the Efficy client keeps its session cookie itself, the APSIS client its
     * token, so nothing of one tenant's reaches another's requests.
     */
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong quarantined = new AtomicLong();
    /** Every engine's listener: counts the records its runs quarantine, for the node's meters. */
    private final SyncListener quarantines = new SyncListener() {
        @Override
        public void quarantined(String kind, String id, String reason) {
            quarantined.incrementAndGet();
        }
    };

    TenantEngines(
            int capacity,
            TenantConfigs configs,
            TenantStateStores stores,
            ExecutionLeases leases,
            AccountBudget budget,
            String node,
            Duration leaseTtl) {
        this.capacity = capacity;
        this.configs = configs;
        this.stores = stores;
        this.leases = leases;
        this.budget = budget;
        this.node = node;
        this.leaseTtl = leaseTtl;
    }

    /**
     * Uses a tenant's engine, building it (or replacing a stale one) first. The build runs outside
     * the cache's lock: runs of other tenants go on meanwhile, and runs of the same tenant wait for
     * the one build. A failed build is not cached; the next use tries again.
     *
     * @throws RuntimeException what the build threw, to every run that waited for it
     */
    Use use(Tenant tenant) {
        Entry entry;
        boolean builder = false;
        List<SyncEngine> retired = new ArrayList<>();
        synchronized (this) {
            entry = entries.get(tenant.id());
            if (entry != null && entry.version != tenant.version()) {
                retire(tenant.id(), entry, retired);
                entry = null;
            }
            if (entry == null) {
                entry = new Entry(tenant.version());
                entries.put(tenant.id(), entry);
                builder = true;
            }
            entry.users++;
            evict(retired);
        }
        closeAll(retired);
        if (builder) {
            try {
                entry.engine.complete(build(tenant, true));
            } catch (RuntimeException | Error e) {
                entry.engine.completeExceptionally(e);
            }
        }
        SyncEngine engine;
        try {
            engine = entry.engine.join();
        } catch (CompletionException failed) {
            synchronized (this) {
                entry.users--;
                entries.remove(tenant.id(), entry);
            }
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw failed;
        }
        Entry held = entry;
        return new Use() {
            private boolean closed;

            @Override
            public SyncEngine engine() {
                return engine;
            }

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                List<SyncEngine> done = new ArrayList<>();
                synchronized (TenantEngines.this) {
                    held.users--;
                    if (held.stale && held.users == 0) {
                        done.add(engine);
                    }
                    evict(done);
                }
                closeAll(done);
            }
        };
    }

    /**
     * Builds a tenant's engine. A cached one's store is its schema, fenced by this node's executions;
     * one built to validate a tenant is not cached, keeps its state in memory and takes no lease.
     *
     * @throws io.crmsync.config.ConfigException when the configuration is incomplete or refers to
     *     a secret the resolver does not know
     */
    SyncEngine build(Tenant tenant, boolean fenced) {
        CrmsyncConfig config = configs.forEngine(tenant);
        EfficyClient efficy =
                config.efficyBuilder(EfficyListener.NONE).httpClient(http).build();
        ApsisClient apsis = config.apsisBuilder(ApsisListener.NONE)
                .httpClient(http)
                .accountBudget(budget)
                .build();
        // An engine built only to validate a tenant needs no state: it must not leave a schema behind
        // for a tenant that is then refused.
        StateStore store = fenced ? leases.fenced(tenant.id(), stores.open(tenant.id())) : StateStore.inMemory();
        return config.engineBuilder(efficy, apsis, store, quarantines)
                .instanceId(node + "/" + tenant.id())
                .leaseTtl(leaseTtl)
                .closeTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Drops a tenant's engine (closed once no run uses it). */
    void invalidate(String tenantId) {
        List<SyncEngine> retired = new ArrayList<>();
        synchronized (this) {
            Entry e = entries.get(tenantId);
            if (e != null) {
                retire(tenantId, e, retired);
            }
        }
        closeAll(retired);
    }

    /** How many engines are cached. */
    /** Records the engines of this node quarantined since it started. */
    long quarantined() {
        return quarantined.get();
    }

    synchronized int size() {
        return entries.size();
    }

    private void retire(String tenantId, Entry e, List<SyncEngine> retired) {
        entries.remove(tenantId);
        e.stale = true;
        if (e.users == 0 && e.built() != null) {
            retired.add(e.built());
        }
    }

    private void evict(List<SyncEngine> retired) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > capacity && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.users == 0) {
                it.remove();
                if (e.built() != null) {
                    retired.add(e.built());
                }
            }
        }
    }

    private static void closeAll(List<SyncEngine> engines) {
        for (SyncEngine e : engines) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                LOG.warn("closing an engine failed: {}", ex.toString());
            }
        }
    }

    /**
     * Closes every cached engine, in use or not (the node is stopping); an engine still being built
     * is closed when its run gives it back.
     */
    @Override
    public void close() {
        List<SyncEngine> all = new ArrayList<>();
        synchronized (this) {
            for (Entry e : entries.values()) {
                e.stale = true;
                if (e.built() != null) {
                    all.add(e.built());
                }
            }
            entries.clear();
        }
        closeAll(all);
    }
}
