package org.mciengagements.directory;

import java.io.Reader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.mciengagements.shared.CustomerIdentifier;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads directory CSV files into the directory: one file per kind of customer key, a fixed set of
 * columns per kind, then any number of {@code attr:<name>} columns. Identifiers are stored in the
 * canonical form of {@link CustomerIdentifier} whatever way they are written. Attribute values
 * that read as integers become JSON integers, decimals JSON numbers, {@code true}/{@code false}
 * booleans, anything else strings; an empty attribute is left out.
 *
 * <p>Every row is validated before anything is written: a bad row is skipped and reported with its
 * row number, so one mistake does not hide the others. Rows replace the entries they name (a
 * tenant's verified domains are replaced as a whole). Runs in the caller's transaction when there
 * is one, so a caller that must not keep a partial load can roll back on any problem.
 */
@Service
public class DirectoryImport {

    private static final String ATTRIBUTE_PREFIX = "attr:";
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+\\.[0-9]+");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> OPPORTUNITY_STATES = Set.of("OPEN", "WON", "LOST");

    /** The kinds of directory file, their file names and their fixed columns (required, then optional). */
    public enum Kind {
        TENANTS("tenants.csv", List.of("tenant_id", "name", "country"), List.of("tpid", "domains")),
        TPIDS("tpids.csv", List.of("tpid", "name", "segment", "country"), List.of()),
        SUBSCRIPTIONS("subscriptions.csv", List.of("subscription_id", "tenant_id"), List.of("name")),
        OPPORTUNITIES("opportunities.csv", List.of("opportunity_id", "tpid", "name", "estimated_value_usd", "state"),
                List.of());

        private final String fileName;
        private final List<String> required;
        private final List<String> optional;

        Kind(String fileName, List<String> required, List<String> optional) {
            this.fileName = fileName;
            this.required = required;
            this.optional = optional;
        }

        public String fileName() {
            return fileName;
        }
    }

    /** A problem with one row (row 1 is the header). */
    public record Problem(int row, String message) {}

    /** What an import did: rows written and the rows refused, with why. */
    public record Report(Kind kind, int imported, int domains, List<Problem> problems) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DirectoryImport(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional
    public Report load(Kind kind, Reader csv) {
        CsvReader reader = new CsvReader(csv);
        List<Problem> problems = new ArrayList<>();
        List<String> header;
        try {
            header = reader.header();
        } catch (CsvFormatException e) {
            return new Report(kind, 0, 0, List.of(new Problem(e.row(), e.getMessage())));
        }
        for (String column : kind.required) {
            if (!header.contains(column)) {
                problems.add(new Problem(1, "column " + column + " is missing"));
            }
        }
        for (String column : header) {
            boolean known = kind.required.contains(column) || kind.optional.contains(column);
            boolean attribute = column.startsWith(ATTRIBUTE_PREFIX)
                    && ATTRIBUTE_NAME.matcher(column.substring(ATTRIBUTE_PREFIX.length())).matches();
            if (!known && !attribute) {
                problems.add(new Problem(1, "column " + column + " is not a " + kind.fileName
                        + " column; attributes are written attr:<name>"));
            }
        }
        if (!problems.isEmpty()) {
            return new Report(kind, 0, 0, List.copyOf(problems));
        }

        int imported = 0;
        int domains = 0;
        while (true) {
            Optional<CsvReader.Row> next;
            try {
                next = reader.next();
            } catch (CsvFormatException e) {
                problems.add(new Problem(e.row(), e.getMessage()));
                continue;
            }
            if (next.isEmpty()) {
                break;
            }
            CsvReader.Row row = next.get();
            List<String> rowProblems = new ArrayList<>();
            Map<String, Object> attributes = attributes(row);
            switch (kind) {
                case TENANTS -> domains += tenant(row, attributes, rowProblems);
                case TPIDS -> tpid(row, attributes, rowProblems);
                case SUBSCRIPTIONS -> subscription(row, attributes, rowProblems);
                case OPPORTUNITIES -> opportunity(row, attributes, rowProblems);
            }
            if (rowProblems.isEmpty()) {
                imported++;
            } else {
                rowProblems.forEach(message -> problems.add(new Problem(row.number(), message)));
            }
        }
        return new Report(kind, imported, domains, List.copyOf(problems));
    }

    /** Writes one tenant row when it is valid; returns the number of domains written. */
    private int tenant(CsvReader.Row row, Map<String, Object> attributes, List<String> problems) {
        String tenantId = identifier(row, "tenant_id", IdentifierType.TENANT_ID, problems);
        String name = required(row, "name", problems);
        String country = country(row, problems);
        String tpid = row.value("tpid").map(v -> identifier(v, "tpid", IdentifierType.TPID, problems)).orElse(null);
        List<String> domains = new ArrayList<>();
        for (String raw : row.value("domains").map(v -> v.split("\\s+")).orElse(new String[0])) {
            String domain = identifier(raw, "domains", IdentifierType.DOMAIN, problems);
            if (domain != null && !domains.contains(domain)) {
                domains.add(domain);
            }
        }
        if (!problems.isEmpty()) {
            return 0;
        }
        upsert(CustomerKey.tenant(tenantId), name, country, tpid == null ? null : Long.parseLong(tpid), null, null,
                null, null, attributes);
        jdbc.sql("delete from directory_domain where tenant_id = ?::uuid").param(tenantId).update();
        for (String domain : domains) {
            jdbc.sql("""
                            insert into directory_domain (domain, tenant_id) values (?, ?::uuid)
                            on conflict (domain) do update set tenant_id = excluded.tenant_id""")
                    .params(domain, tenantId).update();
        }
        return domains.size();
    }

    private void tpid(CsvReader.Row row, Map<String, Object> attributes, List<String> problems) {
        String tpid = identifier(row, "tpid", IdentifierType.TPID, problems);
        String name = required(row, "name", problems);
        String country = country(row, problems);
        String segment = row.value("segment").orElse(null);
        if (problems.isEmpty()) {
            upsert(new CustomerKey(CustomerKey.Kind.TPID, tpid), name, country, null, null, segment, null, null,
                    attributes);
        }
    }

    /** A subscription without a name is named after its owning tenant, and shares its country. */
    private void subscription(CsvReader.Row row, Map<String, Object> attributes, List<String> problems) {
        String subscriptionId = identifier(row, "subscription_id", IdentifierType.AZURE_SUBSCRIPTION_ID, problems);
        String tenantId = identifier(row, "tenant_id", IdentifierType.TENANT_ID, problems);
        if (!problems.isEmpty()) {
            return;
        }
        Optional<Owner> owner = owner(CustomerKey.tenant(tenantId));
        String name = row.value("name").orElseGet(() -> owner.map(Owner::name).orElse("Azure")
                + " subscription " + subscriptionId.substring(0, 8));
        upsert(new CustomerKey(CustomerKey.Kind.SUBSCRIPTION, subscriptionId), name,
                owner.map(Owner::country).orElse(null), null, tenantId, null, null, null, attributes);
    }

    private void opportunity(CsvReader.Row row, Map<String, Object> attributes, List<String> problems) {
        String opportunityId = identifier(row, "opportunity_id", IdentifierType.MSX_OPPORTUNITY_ID, problems);
        String tpid = identifier(row, "tpid", IdentifierType.TPID, problems);
        String name = required(row, "name", problems);
        BigDecimal value = null;
        String rawValue = required(row, "estimated_value_usd", problems);
        if (rawValue != null) {
            try {
                value = new BigDecimal(rawValue);
                if (value.signum() < 0) {
                    problems.add("estimated_value_usd must not be negative");
                }
            } catch (NumberFormatException e) {
                problems.add("estimated_value_usd is not a number: " + rawValue);
            }
        }
        String state = required(row, "state", problems);
        if (state != null) {
            state = state.toUpperCase(Locale.ROOT);
            if (!OPPORTUNITY_STATES.contains(state)) {
                problems.add("state must be OPEN, WON or LOST: " + row.get("state"));
            }
        }
        if (problems.isEmpty()) {
            String country = owner(new CustomerKey(CustomerKey.Kind.TPID, tpid)).map(Owner::country).orElse(null);
            upsert(new CustomerKey(CustomerKey.Kind.OPPORTUNITY, opportunityId), name, country, Long.parseLong(tpid),
                    null, null, value, state, attributes);
        }
    }

    private record Owner(String name, String country) {}

    private Optional<Owner> owner(CustomerKey key) {
        return jdbc.sql("select display_name as name, country from directory_customer where customer_key = ?")
                .param(key.toString()).query(Owner.class).optional();
    }

    private void upsert(CustomerKey key, String name, String country, Long tpid, String ownerTenantId, String segment,
                        BigDecimal estimatedValue, String opportunityState, Map<String, Object> attributes) {
        jdbc.sql("""
                        insert into directory_customer (customer_key, display_name, country, tpid, owner_tenant_id,
                            segment, estimated_value_usd, opportunity_state, attributes)
                        values (:key, :name, :country, :tpid, cast(:owner as uuid), :segment, :value, :state,
                            cast(:attributes as jsonb))
                        on conflict (customer_key) do update set display_name = excluded.display_name,
                            country = excluded.country, tpid = excluded.tpid, owner_tenant_id = excluded.owner_tenant_id,
                            segment = excluded.segment, estimated_value_usd = excluded.estimated_value_usd,
                            opportunity_state = excluded.opportunity_state, attributes = excluded.attributes""")
                .param("key", key.toString())
                .param("name", name)
                .param("country", country)
                .param("tpid", tpid)
                .param("owner", ownerTenantId)
                .param("segment", segment)
                .param("value", estimatedValue)
                .param("state", opportunityState)
                .param("attributes", json.writeValueAsString(attributes))
                .update();
    }

    private static Map<String, Object> attributes(CsvReader.Row row) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String column : row.header()) {
            if (column.startsWith(ATTRIBUTE_PREFIX)) {
                row.value(column).ifPresent(value ->
                        attributes.put(column.substring(ATTRIBUTE_PREFIX.length()), typed(value)));
            }
        }
        return attributes;
    }

    /** The JSON type an attribute value reads as; criteria compare numbers and booleans, not text. */
    static Object typed(String value) {
        if (INTEGER.matcher(value).matches()) {
            return Long.parseLong(value);
        }
        if (DECIMAL.matcher(value).matches()) {
            return new BigDecimal(value);
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        return value;
    }

    private static String required(CsvReader.Row row, String column, List<String> problems) {
        Optional<String> value = row.value(column);
        if (value.isEmpty()) {
            problems.add(column + " is required");
        }
        return value.orElse(null);
    }

    private static String country(CsvReader.Row row, List<String> problems) {
        String country = required(row, "country", problems);
        if (country == null) {
            return null;
        }
        String upper = country.toUpperCase(Locale.ROOT);
        if (!COUNTRY.matcher(upper).matches()) {
            problems.add("country must be a two-letter ISO code: " + country);
            return null;
        }
        return upper;
    }

    private static String identifier(CsvReader.Row row, String column, IdentifierType type, List<String> problems) {
        String raw = required(row, column, problems);
        return raw == null ? null : identifier(raw, column, type, problems);
    }

    private static String identifier(String raw, String column, IdentifierType type, List<String> problems) {
        return switch (CustomerIdentifier.parse(type, raw)) {
            case CustomerIdentifier.Valid valid -> valid.identifier().value();
            case CustomerIdentifier.Invalid invalid -> {
                problems.add(column + " is not a valid " + type + ": " + raw);
                yield null;
            }
        };
    }
}
