package io.crmsync.sync.internal;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.DeletedContactPolicy;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.StopMatchingPolicy;
import io.crmsync.sync.SyncCondition;
import io.crmsync.sync.SyncListener;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * What every part of the engine works with: the clients, the store, the configuration, the clock
 * and the writer threads. Built once by {@code SyncEngine} and handed to each job, which never sees
 * the engine itself. Internal: not part of the API.
 *
 * @param efficy the Efficy client
 * @param apsis the APSIS client
 * @param section the APSIS section
 * @param keyspace the keyspace of the profile keys (the Efficy contact keys)
 * @param mapping the field mapping
 * @param consentPolicy the consent policy
 * @param condition the sync condition
 * @param stopMatching what happens to a contact that stops matching
 * @param deletedContact what happens to a contact deleted in Efficy
 * @param store the state store
 * @param listener the host's listener
 * @param clock the clock
 * @param workers the threads that write to APSIS
 * @param concurrency how many of them
 * @param consentSource the {@code source} of consents the engine writes
 * @param queries stored queries synced as tags
 * @param instanceId this engine's id in leases
 * @param leaseTtl how long a lease lasts without renewal
 * @param pollPageSize contacts per poll page
 * @param clockSkew how far the engine's clock may run ahead of Efficy's
 * @param efficyTimeZone the zone of Efficy's D_CHANGE values
 * @param responseMapping what reverse sync writes for each event type
 * @param reverseWindow the export window of reverse sync
 * @param reverseLookback where the first reverse sync starts
 * @param exportKeyAttribute the export's CRM-id attribute, or null
 * @param taskWebhook the task webhook's configuration, or null
 * @param circuitBreakerThreshold consecutive contact failures that end a run
 */
public record EngineContext(
    EfficyClient efficy,
    ApsisClient apsis,
    String section,
    String keyspace,
    MappingProvider mapping,
    ConsentPolicy consentPolicy,
    SyncCondition condition,
    StopMatchingPolicy stopMatching,
    DeletedContactPolicy deletedContact,
    StateStore store,
    SyncListener listener,
    Clock clock,
    ExecutorService workers,
    int concurrency,
    String consentSource,
    List<QueryTagMapping> queries,
    String instanceId,
    Duration leaseTtl,
    int pollPageSize,
    Duration clockSkew,
    ZoneId efficyTimeZone,
    ResponseMapping responseMapping,
    Duration reverseWindow,
    Duration reverseLookback,
    String exportKeyAttribute,
    TaskWebhookConfig taskWebhook,
    int circuitBreakerThreshold) {

  /** Copies the list of queries. */
  public EngineContext {
    queries = List.copyOf(queries);
  }
}
