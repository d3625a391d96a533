package io.crmsync.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The tenants in PostgreSQL, in table {@code crmsync_tenant} beside db-scheduler's (the DDL is
 * {@code cluster-postgresql.sql}, applied by {@link ClusterNode}). Each row holds the tenant's
 * configuration as JSON: references to secrets, never their values. Thread-safe; every node
 * shares it.
 *
 * <pre>{@code
 * TenantRegistry tenants = new JdbcTenantRegistry(dataSource);
 * }</pre>
 */
public final class JdbcTenantRegistry implements TenantRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private final DataSource dataSource;

    /** A registry on the cluster's data source; its table must exist (see {@link ClusterNode}). */
    public JdbcTenantRegistry(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Optional<Tenant> find(String id) {
        Tenant.checkId(id);
        return query("select id, config, paused, version from crmsync_tenant where id = ?", id).stream()
                .findFirst();
    }

    @Override
    public List<Tenant> list() {
        return query("select id, config, paused, version from crmsync_tenant order by id");
    }

    @Override
    public Tenant add(Tenant tenant) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("insert into crmsync_tenant (id, config, paused, version, updated_at)"
                                + " values (?, ?, ?, 1, now()) on conflict (id) do nothing")) {
            ps.setString(1, tenant.id());
            ps.setString(2, json(tenant));
            ps.setBoolean(3, tenant.paused());
            if (ps.executeUpdate() == 0) {
                throw new ClusterException("tenant " + tenant.id() + " exists already");
            }
            return new Tenant(tenant.id(), tenant.config(), tenant.paused(), 1);
        } catch (SQLException e) {
            throw new ClusterException("could not add tenant " + tenant.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Tenant update(Tenant tenant) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update crmsync_tenant set config = ?, paused = ?,"
                        + " version = version + 1, updated_at = now() where id = ? returning version")) {
            ps.setString(1, json(tenant));
            ps.setBoolean(2, tenant.paused());
            ps.setString(3, tenant.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ClusterException("no tenant " + tenant.id());
                }
                return new Tenant(tenant.id(), tenant.config(), tenant.paused(), rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new ClusterException("could not update tenant " + tenant.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean remove(String id) {
        Tenant.checkId(id);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from crmsync_tenant where id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new ClusterException("could not remove tenant " + id + ": " + e.getMessage(), e);
        }
    }

    private List<Tenant> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Tenant> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> config = JSON.readValue(rs.getString(2), MAP);
                    out.add(new Tenant(rs.getString(1), config, rs.getBoolean(3), rs.getLong(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ClusterException("could not read tenants: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ClusterException("a tenant row holds configuration that is not a JSON object of strings", e);
        }
    }

    private static String json(Tenant tenant) {
        try {
            return JSON.writeValueAsString(tenant.config());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "JdbcTenantRegistry{table=crmsync_tenant}";
    }
}
