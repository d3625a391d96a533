package io.crmsync.sync.state.jdbc;

import io.crmsync.sync.state.QueryMemberships;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;

/**
 * {@link JdbcStateStore}'s stored-query memberships. Package-private.
 */
final class JdbcQueryMemberships implements QueryMemberships {

    private final SqlOps sql;

    JdbcQueryMemberships(SqlOps sql) {
        this.sql = sql;
    }

    @Override
    public Set<Long> queryMembers(long queryKey) {
        return sql.run(c -> {
            Set<Long> members = new HashSet<>();
            try (PreparedStatement ps =
                    c.prepareStatement("select contact_key from crmsync_query_member where query_key = ?")) {
                ps.setLong(1, queryKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        members.add(rs.getLong(1));
                    }
                }
            }
            return members;
        });
    }

    @Override
    public void updateQueryMembers(long queryKey, Set<Long> added, Set<Long> removed) {
        sql.run(c -> {
            try (PreparedStatement del = c.prepareStatement(
                            "delete from crmsync_query_member where query_key = ? and contact_key = ?");
                    PreparedStatement ins = c.prepareStatement(
                            "insert into crmsync_query_member (query_key, contact_key)"
                                    + " select ?, ? where not exists (select 1 from crmsync_query_member where query_key = ? and contact_key = ?)")) {
                for (long k : removed) {
                    del.setLong(1, queryKey);
                    del.setLong(2, k);
                    del.addBatch();
                }
                del.executeBatch();
                for (long k : added) {
                    ins.setLong(1, queryKey);
                    ins.setLong(2, k);
                    ins.setLong(3, queryKey);
                    ins.setLong(4, k);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            return null;
        });
    }
}
