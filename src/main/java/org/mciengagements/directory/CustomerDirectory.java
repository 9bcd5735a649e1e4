package org.mciengagements.directory;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mciengagements.shared.CustomerKey;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Reads the customer directory; the first {@link TenantResolver}: the directory's verified domains. */
@Service
@Order(0)
public class CustomerDirectory implements TenantResolver {

    private static final String COLUMNS = """
            customer_key, display_name, country, tpid, owner_tenant_id, segment, estimated_value_usd,
            opportunity_state, attributes::text as attributes""";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CustomerDirectory(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<DirectoryCustomer> find(CustomerKey key) {
        return jdbc.sql("select " + COLUMNS + " from directory_customer where customer_key = ?")
                .param(key.toString()).query(this::map).optional();
    }

    public Map<CustomerKey, DirectoryCustomer> findAll(Collection<CustomerKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        String[] texts = keys.stream().map(CustomerKey::toString).toArray(String[]::new);
        return jdbc.sql("select " + COLUMNS + " from directory_customer where customer_key = any(?)")
                .param(texts).query(this::map).list().stream()
                .collect(Collectors.toMap(DirectoryCustomer::key, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    @Override
    public Optional<String> tenantOf(String domain) {
        return jdbc.sql("select tenant_id::text from directory_domain where domain = ?").param(domain)
                .query(String.class).optional();
    }

    /** The verified domains of a tenant, for the mismatch check against a contact's email domain. */
    public List<String> verifiedDomains(String tenantId) {
        return jdbc.sql("select domain from directory_domain where tenant_id = ?::uuid order by domain")
                .param(tenantId).query(String.class).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from directory_customer").query(Long.class).single();
    }

    private DirectoryCustomer map(ResultSet rs, int row) throws SQLException {
        long tpid = rs.getLong("tpid");
        Long tpidValue = rs.wasNull() ? null : tpid;
        BigDecimal value = rs.getBigDecimal("estimated_value_usd");
        return new DirectoryCustomer(CustomerKey.parse(rs.getString("customer_key")), rs.getString("display_name"),
                rs.getString("country"), tpidValue, rs.getString("owner_tenant_id"), rs.getString("segment"), value,
                rs.getString("opportunity_state"), Attributes.parse(json, rs.getString("attributes")));
    }
}
