package io.crmsync.sync.internal;

import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.DeletedContactPolicy;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.StopMatchingPolicy;
import io.crmsync.sync.SyncCondition;
import java.util.List;

/**
 * What the engine decides with: the mapping, consents, the condition and its policies, and the
 * stored queries synced as tags. Internal.
 *
 * @param mapping the field mapping
 * @param consentPolicy the consent policy
 * @param condition the sync condition
 * @param stopMatching what happens to a contact that stops matching
 * @param deletedContact what happens to a contact deleted in Efficy
 * @param queries stored queries synced as tags
 */
public record Policies(
        MappingProvider mapping,
        ConsentPolicy consentPolicy,
        SyncCondition condition,
        StopMatchingPolicy stopMatching,
        DeletedContactPolicy deletedContact,
        List<QueryTagMapping> queries) {

    /** Copies the list of queries. */
    public Policies {
        queries = List.copyOf(queries);
    }
}
