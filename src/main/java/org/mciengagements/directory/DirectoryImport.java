package org.mciengagements.directory;

import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.mciengagements.shared.CustomerIdentifier;
import org.mciengagements.shared.IdentifierType;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads one directory CSV file into the directory: one file per kind of customer key, a fixed set
 * of columns per kind, then any number of {@code attr:<name>} columns. Identifiers are stored in
 * the canonical form of {@link CustomerIdentifier} whatever way they are written. Attribute values
 * that read as integers become JSON integers, decimals JSON numbers, {@code true}/{@code false}
 * booleans, anything else strings; an empty attribute is left out.
 *
 * <p>How: the file is read once, each row validated in Java, and the good rows streamed with
 * {@code COPY … FROM STDIN} into a temporary staging table; then a few set-based statements merge
 * the staged rows into {@code directory_customer} and {@code directory_domain}. All of it happens
 * in the caller's transaction (one is required), so the file applies as a whole or not at all.
 * Loads are serialized across servers by a transaction-scoped advisory lock.
 *
 * <p>Rules: a row replaces the entry it names (a tenant's verified domains are replaced as a whole;
 * a domain listed for another tenant moves to this one). A key named twice in one file takes the
 * later row, and of two rows listing one domain the later wins. A subscription without a name is
 * named after its owning tenant and takes the tenant's country; an opportunity takes the country of
 * its TPID — both read from the directory as it stands when the file is merged.
 *
 * <p>Problems: a header with a missing or unknown column refuses the whole file; otherwise each bad
 * row is left out and reported as (row, column, code, reason), row numbers as a spreadsheet shows
 * them (the header is row 1), the column empty when the problem is the whole row. Only the first
 * {@value #MAX_STORED_PROBLEMS} problems are kept; the count covers all of them.
 */
@Service
public class DirectoryImport {

    private static final Logger log = LoggerFactory.getLogger(DirectoryImport.class);

    /** Problems kept per file; a garbage file of millions of bad rows keeps only these, and the count. */
    public static final int MAX_STORED_PROBLEMS = 10_000;
    /**
     * Valid rows staged and merged together while the next chunk is read; small enough that the
     * staging table stays in PostgreSQL's default temporary buffers (8 MB).
     */
    static final int CHUNK_ROWS = 20_000;
    /** One lock id for every server: directory loads take turns. */
    static final long LOCK = 0x4d43_4944_4952L; // "MCIDIR"

    private static final String ATTRIBUTE_PREFIX = "attr:";
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");
    /** Bounded, so a freak value stays text rather than becoming a number JSON cannot hold. */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,30}\\.[0-9]{1,30}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Set<String> OPPORTUNITY_STATES = Set.of("OPEN", "WON", "LOST");
    /** {@code estimated_value_usd} is numeric(14, 2). */
    private static final BigDecimal MAX_VALUE = new BigDecimal("1000000000000");

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

        /** Columns every file of this kind must have. */
        public List<String> requiredColumns() {
            return required;
        }

        /** Columns a file of this kind may have besides the required ones and {@code attr:<name>}. */
        public List<String> optionalColumns() {
            return optional;
        }

        /** The kind named, ignoring case; empty for anything else. */
        public static Optional<Kind> named(String name) {
            if (name == null) {
                return Optional.empty();
            }
            for (Kind kind : values()) {
                if (kind.name().equalsIgnoreCase(name.strip())) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** Why a row or the header was refused: a stable code; {@link Problem#reason()} says it in words. */
    public enum ProblemCode {
        /** The header row is missing, has an empty or repeated column name, or cannot be read. */
        INVALID_HEADER,
        /** A column this kind of file needs is not in the header. */
        MISSING_COLUMN,
        /** A column that is neither one of this kind's columns nor {@code attr:<name>}. */
        UNKNOWN_COLUMN,
        /** The row cannot be read as CSV: wrong number of fields, a stray quote, an unclosed quote, too long. */
        MALFORMED_ROW,
        /** A required value is empty. */
        REQUIRED,
        /** An identifier that is not in one of the formats SPEC §3 allows. */
        INVALID_IDENTIFIER,
        /** A country that is not a two-letter ISO code. */
        INVALID_COUNTRY,
        /** A value that must be a number and is not, or is negative, or is too large. */
        INVALID_NUMBER,
        /** An opportunity state other than OPEN, WON or LOST. */
        INVALID_STATE,
        /** Text with a NUL character, which the database cannot store. */
        INVALID_TEXT
    }

    /** One problem: the row (the header is 1), the column ("" for the whole row), a code and a readable reason. */
    public record Problem(int row, String column, ProblemCode code, String reason) {}

    /**
     * What a load did. {@code refused}: the header was not acceptable and nothing was read.
     * {@code imported} counts good rows (a key named twice counts twice; the later row is kept),
     * {@code rejected} the rows left out, {@code domains} the verified domains written.
     * {@code problems} holds at most {@value #MAX_STORED_PROBLEMS}; {@code problemCount} all of them.
     */
    public record Report(Kind kind, boolean refused, long rowsRead, long imported, long rejected, long domains,
                         long problemCount, List<Problem> problems) {
        public boolean clean() {
            return problemCount == 0;
        }
    }

    /** Counters a running load updates; safe to read from another thread (for progress reports). */
    public static final class Progress {
        final AtomicLong rowsRead = new AtomicLong();

        public long rowsRead() {
            return rowsRead.get();
        }
    }

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final JsonMapper json;

    DirectoryImport(JdbcClient jdbc, DataSource dataSource, JsonMapper json) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Loads a file in the caller's transaction (or a new one), synchronously. */
    @Transactional
    public Report load(Kind kind, Reader csv) {
        return load(kind, csv, new Progress(), CHUNK_ROWS);
    }

    /** Loads a file in the caller's transaction, which must exist: a partial file must be able to roll back. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Report load(Kind kind, Reader csv, Progress progress) {
        return load(kind, csv, progress, CHUNK_ROWS);
    }

    /**
     * The load itself. A reader thread parses and validates rows into chunks of {@code chunkRows}
     * while this thread, which holds the transaction's connection, copies each finished chunk into
     * the staging table and merges it: Java's work and the database's overlap. Chunks merge in file
     * order, so a later row wins over an earlier one in another chunk just as within one.
     */
    Report load(Kind kind, Reader csv, Progress progress, int chunkRows) {
        jdbc.sql("select pg_advisory_xact_lock(?)").param(LOCK).query(Object.class).single();
        long started = System.nanoTime();
        CsvReader reader = new CsvReader(csv);
        Problems problems = new Problems();
        List<String> header;
        try {
            header = reader.header();
        } catch (CsvFormatException e) {
            problems.add(1, "", ProblemCode.INVALID_HEADER, e.reason());
            return problems.refused(kind);
        }
        checkHeader(kind, header, problems);
        if (problems.count > 0) {
            return problems.refused(kind);
        }

        jdbc.sql("drop table if exists pg_temp.directory_stage").update();
        jdbc.sql("""
                create temp table directory_stage (
                    row_no int not null, key_value text not null, display_name text, country text, tpid bigint,
                    owner_tenant_id uuid, segment text, estimated_value_usd numeric, opportunity_state text,
                    attributes jsonb not null, tenant_id uuid, domains text[]
                ) on commit drop""").update();
        // Each merge statement looks staged rows up one by one through an index (primary key, domain's
        // tenant): a chunk is small next to the directory, which a hash join would read whole every time.
        jdbc.sql("set local enable_hashjoin = off").update();
        jdbc.sql("set local enable_mergejoin = off").update();
        PGConnection connection = pgConnection();
        Reading reading = new Reading(kind, new Columns(header), reader, progress, problems, chunkRows);
        Thread readingThread = Thread.ofPlatform().name("directory-import-reader").daemon().start(reading);
        try {
            for (StagedChunk chunk = reading.nextChunk(); chunk != null; chunk = reading.nextChunk()) {
                chunk.copy(connection, """
                        copy directory_stage (row_no, key_value, display_name, country, tpid, owner_tenant_id, segment,
                            estimated_value_usd, opportunity_state, attributes, tenant_id, domains) from stdin""");
                merge(kind, chunk);
                jdbc.sql("truncate directory_stage").update();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Staging the directory file failed: " + e.getMessage(), e);
        } finally {
            reading.stop(readingThread);
        }
        jdbc.sql("drop table pg_temp.directory_stage").update();
        jdbc.sql("set local enable_hashjoin to default").update();
        jdbc.sql("set local enable_mergejoin to default").update();
        log.info("Directory {}: {} rows ({} imported, {} rejected) in {} ms", kind, reading.rowsRead,
                reading.imported, reading.rejected, (System.nanoTime() - started) / 1_000_000);
        return new Report(kind, false, reading.rowsRead, reading.imported, reading.rejected, reading.domains,
                problems.count, List.copyOf(problems.kept));
    }

    private static void checkHeader(Kind kind, List<String> header, Problems problems) {
        for (String column : kind.required) {
            if (!header.contains(column)) {
                problems.add(1, column, ProblemCode.MISSING_COLUMN,
                        "column " + column + " is missing; a " + kind.fileName + " file has " + kind.required);
            }
        }
        for (String column : header) {
            boolean known = kind.required.contains(column) || kind.optional.contains(column);
            boolean attribute = column.startsWith(ATTRIBUTE_PREFIX)
                    && ATTRIBUTE_NAME.matcher(column.substring(ATTRIBUTE_PREFIX.length())).matches();
            if (!known && !attribute) {
                problems.add(1, shown(column), ProblemCode.UNKNOWN_COLUMN, "column " + shown(column) + " is not a "
                        + kind.fileName + " column; attributes are written attr:<name>");
            }
        }
    }

    /**
     * Reads the file on its own thread: validates each row, collects problems, and hands chunks of
     * valid rows over (at most two wait, so memory stays bounded). A failure is handed over too; a
     * stop from the merging side ends it.
     */
    private final class Reading implements Runnable {
        private static final Object END = new Object();

        private final Kind kind;
        private final Columns columns;
        private final CsvReader reader;
        private final Progress progress;
        private final Problems problems;
        private final int chunkRows;
        private final BlockingQueue<Object> handover = new ArrayBlockingQueue<>(2);
        private volatile boolean stopped;
        // Written by the reading thread, read by the merging one after the thread has ended.
        long rowsRead;
        long imported;
        long rejected;
        long domains;

        Reading(Kind kind, Columns columns, CsvReader reader, Progress progress, Problems problems, int chunkRows) {
            this.kind = kind;
            this.columns = columns;
            this.reader = reader;
            this.progress = progress;
            this.problems = problems;
            this.chunkRows = chunkRows;
        }

        @Override
        public void run() {
            try {
                StagedChunk chunk = new StagedChunk();
                List<Problem> rowProblems = new ArrayList<>();
                while (!stopped) {
                    Optional<CsvReader.Row> next;
                    try {
                        next = reader.next();
                    } catch (CsvFormatException e) {
                        progress.rowsRead.set(++rowsRead);
                        rejected++;
                        problems.add(e.row(), "", ProblemCode.MALFORMED_ROW, e.reason());
                        continue;
                    }
                    if (next.isEmpty()) {
                        break;
                    }
                    progress.rowsRead.set(++rowsRead);
                    rowProblems.clear();
                    if (stage(kind, columns, next.get(), rowProblems, chunk)) {
                        imported++;
                        if (chunk.rows() >= chunkRows) {
                            handover.put(chunk.seal());
                            chunk = new StagedChunk();
                        }
                    } else {
                        rejected++;
                        rowProblems.forEach(problems::add);
                    }
                }
                if (chunk.rows() > 0) {
                    handover.put(chunk.seal());
                }
                handover.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                if (!stopped) {
                    handover.clear();
                    handover.offer(e);
                }
            }
        }

        void counted(int domainCount) {
            domains += domainCount;
        }

        /** The next chunk to merge, or null at the end of the file; rethrows what failed the reading. */
        StagedChunk nextChunk() {
            Object next;
            try {
                next = handover.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("The directory import was interrupted", e);
            }
            return switch (next) {
                case StagedChunk chunk -> chunk;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> null;
            };
        }

        /** Ends the reading thread (at once if it is still reading) and waits for it. */
        void stop(Thread thread) {
            stopped = true;
            handover.clear();
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Validates one row and adds it to the chunk when valid; otherwise fills {@code problems}. */
        private boolean stage(Kind kind, Columns columns, CsvReader.Row row, List<Problem> rowProblems, StagedChunk chunk) {
            for (int i = 0; i < row.fields().size(); i++) {
                if (row.fields().get(i).indexOf('\0') >= 0) {
                    rowProblems.add(new Problem(row.number(), row.header().get(i), ProblemCode.INVALID_TEXT,
                            row.header().get(i) + " contains a NUL character"));
                }
            }
            if (!rowProblems.isEmpty()) {
                return false;
            }
            Fields fields = new Fields(columns, row, rowProblems);
            switch (kind) {
                case TENANTS -> {
                    String tenantId = fields.identifier("tenant_id", IdentifierType.TENANT_ID);
                    String name = fields.required("name");
                    String country = fields.country();
                    String tpid = fields.value("tpid").map(v -> fields.identifier("tpid", v, IdentifierType.TPID))
                            .orElse(null);
                    List<String> rowDomains = new ArrayList<>(2);
                    for (String raw : fields.value("domains").map(WHITESPACE::split).orElse(new String[0])) {
                        String domain = fields.identifier("domains", raw, IdentifierType.DOMAIN);
                        if (domain != null && !rowDomains.contains(domain)) {
                            rowDomains.add(domain);
                        }
                    }
                    if (rowProblems.isEmpty()) {
                        chunk.add(tenantId, rowDomains, row.number(), tenantId, name, country, tpid, null, null, null,
                                null, attributes(fields), tenantId, StagedChunk.plainArray(rowDomains));
                        counted(rowDomains.size());
                    }
                }
                case TPIDS -> {
                    String tpid = fields.identifier("tpid", IdentifierType.TPID);
                    String name = fields.required("name");
                    String country = fields.country();
                    String segment = fields.value("segment").orElse(null);
                    if (rowProblems.isEmpty()) {
                        chunk.add(tpid, List.of(), row.number(), tpid, name, country, null, null, segment, null, null,
                                attributes(fields), null, null);
                    }
                }
                case SUBSCRIPTIONS -> {
                    String subscriptionId = fields.identifier("subscription_id", IdentifierType.AZURE_SUBSCRIPTION_ID);
                    String tenantId = fields.identifier("tenant_id", IdentifierType.TENANT_ID);
                    String name = fields.value("name").orElse(null);
                    if (rowProblems.isEmpty()) {
                        chunk.add(subscriptionId, List.of(), row.number(), subscriptionId, name, null, null, tenantId,
                                null, null, null, attributes(fields), null, null);
                    }
                }
                case OPPORTUNITIES -> {
                    String opportunityId = fields.identifier("opportunity_id", IdentifierType.MSX_OPPORTUNITY_ID);
                    String tpid = fields.identifier("tpid", IdentifierType.TPID);
                    String name = fields.required("name");
                    BigDecimal value = fields.amount("estimated_value_usd");
                    String state = fields.state("state");
                    if (rowProblems.isEmpty()) {
                        chunk.add(opportunityId, List.of(), row.number(), opportunityId, name, null, tpid, null, null,
                                value.toPlainString(), state, attributes(fields), null, null);
                    }
                }
            }
            return rowProblems.isEmpty();
        }

        private String attributes(Fields fields) {
            return json.writeValueAsString(fields.attributes());
        }
    }

    /** The directory's columns, in the order every merge statement names them. */
    private static final String COLUMNS = """
            customer_key, display_name, country, tpid, owner_tenant_id, segment, estimated_value_usd,
            opportunity_state, attributes""";

    /** {@link #COLUMNS}, each prefixed with a table alias. */
    private static String prefixed(String alias) {
        return Arrays.stream(COLUMNS.split(",")).map(c -> alias + c.strip()).collect(Collectors.joining(", "));
    }

    /** The staged rows of each kind as directory rows: key and the columns derived from their owners. */
    private static String rows(Kind kind) {
        return switch (kind) {
            case TENANTS -> """
                    select 'TENANT:' || s.key_value as customer_key, s.display_name, s.country::char(2) as country, s.tpid,
                        null::uuid as owner_tenant_id, null as segment, null::numeric(14, 2) as estimated_value_usd,
                        null as opportunity_state, s.attributes
                    from directory_stage s""";
            case TPIDS -> """
                    select 'TPID:' || s.key_value as customer_key, s.display_name, s.country::char(2) as country,
                        null::bigint as tpid, null::uuid as owner_tenant_id, s.segment,
                        null::numeric(14, 2) as estimated_value_usd, null as opportunity_state, s.attributes
                    from directory_stage s""";
            // A subscription without a name is named after its owning tenant and shares its country.
            case SUBSCRIPTIONS -> """
                    select 'SUBSCRIPTION:' || s.key_value as customer_key,
                        coalesce(s.display_name, coalesce(t.display_name, 'Azure') || ' subscription ' || left(s.key_value, 8))
                            as display_name,
                        t.country, null::bigint as tpid, s.owner_tenant_id, null as segment,
                        null::numeric(14, 2) as estimated_value_usd, null as opportunity_state, s.attributes
                    from directory_stage s
                    left join directory_customer t on t.customer_key = 'TENANT:' || s.owner_tenant_id::text""";
            // An opportunity is in the country of its TPID.
            case OPPORTUNITIES -> """
                    select 'OPPORTUNITY:' || s.key_value as customer_key, s.display_name, t.country, s.tpid,
                        null::uuid as owner_tenant_id, null as segment,
                        s.estimated_value_usd::numeric(14, 2) as estimated_value_usd, s.opportunity_state, s.attributes
                    from directory_stage s
                    left join directory_customer t on t.customer_key = 'TPID:' || s.tpid::text""";
        };
    }

    /**
     * Merges one staged chunk (whose keys are distinct: the chunk kept the later of two rows): one
     * upsert for the kind, and for tenants their verified domains: the ones a tenant no longer lists
     * go, the listed ones are inserted or moved to it. Rows go in in key order, so each index is
     * walked once per chunk rather than hit at random.
     *
     * <p>{@code ON CONFLICT DO UPDATE} locks every conflicting row, even one its {@code WHERE} then
     * leaves alone, which writes to every page of an unchanged directory. So when a sample of the
     * chunk's keys shows they are known already (a file imported again), rows equal to the stored
     * ones are left out first, by a lookup that locks nothing; a chunk of new keys skips that lookup.
     * The lookups are {@code LATERAL … OFFSET 0} subqueries: one primary-key probe per staged row,
     * whatever the planner would estimate for a join.
     */
    private void merge(Kind kind, StagedChunk chunk) {
        boolean known = jdbc.sql("""
                        select exists (select 1 from (select customer_key from (%s) r limit 32) x
                                       join directory_customer c on c.customer_key = x.customer_key)"""
                        .formatted(rows(kind)))
                .query(Boolean.class).single();
        jdbc.sql("""
                insert into directory_customer (%s)
                select %s from (%s) x
                %s
                order by x.customer_key
                on conflict (customer_key) do update set display_name = excluded.display_name,
                    country = excluded.country, tpid = excluded.tpid, owner_tenant_id = excluded.owner_tenant_id,
                    segment = excluded.segment, estimated_value_usd = excluded.estimated_value_usd,
                    opportunity_state = excluded.opportunity_state, attributes = excluded.attributes
                where (directory_customer.display_name, directory_customer.country, directory_customer.tpid,
                        directory_customer.owner_tenant_id, directory_customer.segment,
                        directory_customer.estimated_value_usd, directory_customer.opportunity_state,
                        directory_customer.attributes)
                    is distinct from (excluded.display_name, excluded.country, excluded.tpid, excluded.owner_tenant_id,
                        excluded.segment, excluded.estimated_value_usd, excluded.opportunity_state, excluded.attributes)"""
                .formatted(COLUMNS, prefixed("x."), rows(kind), !known ? "" : """
                        left join lateral (select %s from directory_customer c where c.customer_key = x.customer_key
                                           offset 0) c on true
                        where (%s) is distinct from (%s)"""
                        .formatted(prefixed("c."), prefixed("c."), prefixed("x."))))
                .update();
        if (kind != Kind.TENANTS) {
            return;
        }
        jdbc.sql("""
                delete from directory_domain d using directory_stage s
                where d.tenant_id = s.tenant_id and d.domain <> all (s.domains)""").update();
        // Of two rows listing one domain, the later wins.
        boolean repeated = chunk.repeatedDomain();
        jdbc.sql("""
                insert into directory_domain (domain, tenant_id)
                select x.domain, x.tenant_id
                from (select %s d.domain, s.tenant_id
                      from directory_stage s cross join lateral unnest(s.domains) as d(domain)
                      %s) x
                %s
                order by x.domain
                on conflict (domain) do update set tenant_id = excluded.tenant_id
                where directory_domain.tenant_id <> excluded.tenant_id"""
                .formatted(repeated ? "distinct on (d.domain)" : "", repeated ? "order by d.domain, s.row_no desc" : "",
                        !known ? "" : """
                                left join lateral (select e.tenant_id from directory_domain e where e.domain = x.domain
                                                   offset 0) e on true
                                where e.tenant_id is distinct from x.tenant_id"""))
                .update();
    }

    /** The PostgreSQL connection of the current transaction, for COPY. */
    private PGConnection pgConnection() {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return connection.unwrap(PGConnection.class);
        } catch (SQLException e) {
            throw new IllegalStateException("The directory import needs a PostgreSQL connection", e);
        }
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

    /** A value as a reason quotes it: at most 100 characters. */
    private static String shown(String raw) {
        return raw.length() <= 100 ? raw : raw.substring(0, 100) + "…";
    }

    /** Column positions of a header, looked up once per file rather than once per value. */
    private static final class Columns {
        final Map<String, Integer> index = new LinkedHashMap<>();
        final List<Integer> attributeIndexes = new ArrayList<>();
        final List<String> attributeNames = new ArrayList<>();

        Columns(List<String> header) {
            for (int i = 0; i < header.size(); i++) {
                String column = header.get(i);
                index.put(column, i);
                if (column.startsWith(ATTRIBUTE_PREFIX)) {
                    attributeIndexes.add(i);
                    attributeNames.add(column.substring(ATTRIBUTE_PREFIX.length()));
                }
            }
        }
    }

    /** Reads and checks the values of one row, adding a problem for each bad one. */
    private static final class Fields {
        private final Columns columns;
        private final CsvReader.Row row;
        private final List<Problem> problems;

        Fields(Columns columns, CsvReader.Row row, List<Problem> problems) {
            this.columns = columns;
            this.row = row;
            this.problems = problems;
        }

        Optional<String> value(String column) {
            Integer index = columns.index.get(column);
            if (index == null) {
                return Optional.empty();
            }
            String value = row.fields().get(index).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        Map<String, Object> attributes() {
            Map<String, Object> attributes = new LinkedHashMap<>();
            for (int i = 0; i < columns.attributeIndexes.size(); i++) {
                String value = row.fields().get(columns.attributeIndexes.get(i)).strip();
                if (!value.isEmpty()) {
                    attributes.put(columns.attributeNames.get(i), typed(value));
                }
            }
            return attributes;
        }

        String required(String column) {
            Optional<String> value = value(column);
            if (value.isEmpty()) {
                problem(column, ProblemCode.REQUIRED, column + " is required");
            }
            return value.orElse(null);
        }

        String country() {
            String country = required("country");
            if (country == null) {
                return null;
            }
            String upper = country.toUpperCase(Locale.ROOT);
            if (!COUNTRY.matcher(upper).matches()) {
                problem("country", ProblemCode.INVALID_COUNTRY, "country must be a two-letter ISO code: " + shown(country));
                return null;
            }
            return upper;
        }

        String identifier(String column, IdentifierType type) {
            String raw = required(column);
            return raw == null ? null : identifier(column, raw, type);
        }

        String identifier(String column, String raw, IdentifierType type) {
            return switch (CustomerIdentifier.parse(type, raw)) {
                case CustomerIdentifier.Valid valid -> valid.identifier().value();
                case CustomerIdentifier.Invalid invalid -> {
                    problem(column, ProblemCode.INVALID_IDENTIFIER, column + " is not a valid " + type + ": " + shown(raw));
                    yield null;
                }
            };
        }

        BigDecimal amount(String column) {
            String raw = required(column);
            if (raw == null) {
                return null;
            }
            BigDecimal value;
            try {
                value = new BigDecimal(raw);
            } catch (NumberFormatException e) {
                problem(column, ProblemCode.INVALID_NUMBER, column + " is not a number: " + shown(raw));
                return null;
            }
            if (value.signum() < 0) {
                problem(column, ProblemCode.INVALID_NUMBER, column + " must not be negative: " + shown(raw));
                return null;
            }
            if (value.setScale(2, RoundingMode.HALF_UP).compareTo(MAX_VALUE) >= 0) {
                problem(column, ProblemCode.INVALID_NUMBER, column + " must be less than 1000000000000: " + shown(raw));
                return null;
            }
            return value;
        }

        String state(String column) {
            String raw = required(column);
            if (raw == null) {
                return null;
            }
            String state = raw.toUpperCase(Locale.ROOT);
            if (!OPPORTUNITY_STATES.contains(state)) {
                problem(column, ProblemCode.INVALID_STATE, column + " must be OPEN, WON or LOST: " + shown(raw));
                return null;
            }
            return state;
        }

        private void problem(String column, ProblemCode code, String reason) {
            problems.add(new Problem(row.number(), column, code, reason));
        }
    }

    /** The problems of one file: the first {@value #MAX_STORED_PROBLEMS} kept, all counted. */
    private static final class Problems {
        final List<Problem> kept = new ArrayList<>();
        long count;

        void add(int row, String column, ProblemCode code, String reason) {
            add(new Problem(row, column, code, reason));
        }

        void add(Problem problem) {
            count++;
            if (kept.size() < MAX_STORED_PROBLEMS) {
                kept.add(problem);
            }
        }

        Report refused(Kind kind) {
            return new Report(kind, true, 0, 0, 0, 0, count, List.copyOf(kept));
        }
    }
}
