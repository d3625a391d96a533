package io.crmsync.sync.state;

import java.util.Set;

/**
 * The role of a state store that remembers the members of each stored query synced as a tag, so
 * that only joiners and leavers are sent. Implementations are thread-safe.
 */
public interface QueryMemberships {

    /** The contacts last known to be members of a stored query. */
    Set<Long> queryMembers(long queryKey);

    /** Records membership changes of a stored query. */
    void updateQueryMembers(long queryKey, Set<Long> added, Set<Long> removed);
}
