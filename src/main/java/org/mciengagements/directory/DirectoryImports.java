package org.mciengagements.directory;

import jakarta.annotation.PreDestroy;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.mciengagements.directory.DirectoryImport.Kind;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Operator imports of directory files as background jobs, on any number of servers.
 *
 * <p>An upload is spooled to a temporary file (its size capped by {@code mci.directory.import.max-file-size}),
 * recorded as a QUEUED {@code directory_import} row, and handed to this server's executor once that
 * row has committed. At most {@code mci.directory.import.max-pending} uploads wait or run per server;
 * more are refused (429) before anything is read. The executor runs one import at a time; across
 * servers imports take turns on the load's advisory lock.
 *
 * <p>An import runs in one transaction of its own ({@link DirectoryImport#load}): the whole file
 * applies or nothing does. Its row moves to RUNNING, and every {@code progress-interval} a separate
 * short transaction writes bytes and rows read and a heartbeat, so progress shows while the import's
 * own transaction is still open. The import's transaction ends by moving its row from RUNNING to
 * SUCCEEDED (or FAILED when the header refused the file) together with its report: if someone marked
 * it FAILED meanwhile, that update finds no row and the whole import rolls back. Any failure (the
 * database connection lost, the server stopping) rolls back and marks it FAILED.
 *
 * <p>A server that dies leaves its imports QUEUED or RUNNING with a heartbeat that no longer moves.
 * Every server looks for such imports at start and every {@code reaper-interval} and marks those
 * whose heartbeat is older than {@code stale-after} FAILED ("interrupted; nothing was applied"),
 * which is true: their transaction never committed. Times come from the program clock.
 */
@Service
public class DirectoryImports {

    private static final Logger log = LoggerFactory.getLogger(DirectoryImports.class);
    static final String INTERRUPTED = "interrupted; nothing was applied";
    private static final int MAX_ERROR_LENGTH = 2000;

    public enum Status { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /** An import as operators see it; {@code progressPercent} is bytes read of the file's size (100 when done). */
    public record ImportView(long id, Kind kind, String fileName, long sizeBytes, Status status, int progressPercent,
                             long bytesRead, long rowsRead, long rowsImported, long rowsRejected, long problemCount,
                             String error, String startedBy, Instant createdAt, Instant startedAt, Instant finishedAt,
                             Instant heartbeatAt) {

        public boolean finished() {
            return status == Status.SUCCEEDED || status == Status.FAILED;
        }

        /** Problems found beyond the ones kept in the report. */
        public long problemsNotKept() {
            return Math.max(0, problemCount - DirectoryImport.MAX_STORED_PROBLEMS);
        }
    }

    /** One problem of an import's report. */
    public record ProblemRow(int row, String column, String code, String reason) {}

    private final DirectoryImport directoryImport;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate separateTransactions;
    private final AuditTrail audit;
    private final ProgramClock clock;
    private final long maxFileBytes;
    private final Duration staleAfter;
    private final Path spoolDir;
    private final Semaphore slots;
    private final Map<Long, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("directory-import-", 1).daemon().factory());
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("directory-import-progress").daemon().factory());

    DirectoryImports(DirectoryImport directoryImport, JdbcClient jdbc, PlatformTransactionManager transactionManager,
                     AuditTrail audit, ProgramClock clock,
                     @Value("${mci.directory.import.max-file-size:2GB}") DataSize maxFileSize,
                     @Value("${mci.directory.import.max-pending:4}") int maxPending,
                     @Value("${mci.directory.import.progress-interval:1s}") Duration progressInterval,
                     @Value("${mci.directory.import.stale-after:60s}") Duration staleAfter,
                     @Value("${mci.directory.import.spool-dir:}") String spoolDir) throws IOException {
        this.directoryImport = directoryImport;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.separateTransactions = new TransactionTemplate(transactionManager);
        this.separateTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.audit = audit;
        this.clock = clock;
        this.maxFileBytes = maxFileSize.toBytes();
        this.staleAfter = staleAfter;
        this.spoolDir = spoolDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(spoolDir);
        Files.createDirectories(this.spoolDir);
        this.slots = new Semaphore(maxPending);
        heartbeats.scheduleWithFixedDelay(this::beat, progressInterval.toMillis(), progressInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ starting an import

    /**
     * An upload on its way into an import: the file spooled to disk and a slot of this server's
     * import queue. Closing it gives both back unless an import took them over.
     */
    public final class Upload implements AutoCloseable {
        private final Path file;
        private final long size;
        private final String sha256;
        private final AtomicBoolean handedOver = new AtomicBoolean();

        private Upload(Path file, long size, String sha256) {
            this.file = file;
            this.size = size;
            this.sha256 = sha256;
        }

        public long size() {
            return size;
        }

        /** SHA-256 of the content, hex: what identifies the request for {@code Idempotency-Key}. */
        public String sha256() {
            return sha256;
        }

        @Override
        public void close() {
            if (!handedOver.get()) {
                release(file);
            }
        }
    }

    /**
     * Spools an uploaded file, holding one of this server's import slots. Refused with 429 when
     * all slots are taken (before reading anything) and with 413 past the size limit.
     */
    public Upload spool(InputStream content) {
        if (!slots.tryAcquire()) {
            throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "IMPORTS_BUSY", "problem.directoryImport.busy",
                    List.of(), List.of(), Map.of());
        }
        Path file = null;
        try {
            file = Files.createTempFile(spoolDir, "directory-import-", ".csv");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size = 0;
            byte[] buffer = new byte[1 << 16];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                    size += n;
                    if (size > maxFileBytes) {
                        throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "FILE_TOO_LARGE",
                                "problem.directoryImport.tooLarge", List.of(DataSize.ofBytes(maxFileBytes).toMegabytes()),
                                List.of(new ProblemException.FieldProblem("file", "FILE_TOO_LARGE",
                                        "problem.directoryImport.tooLarge",
                                        List.of(DataSize.ofBytes(maxFileBytes).toMegabytes()))), Map.of());
                    }
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            return new Upload(file, size, HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            release(file);
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            release(file);
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            release(file);
            throw e;
        }
    }

    /** Gives a slot back (the permit is the upload's), removing the spooled file if there is one. */
    private void release(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("Could not remove spooled import file {}: {}", file, e.toString());
        } finally {
            slots.release();
        }
    }

    /**
     * Records a QUEUED import of the upload in the caller's transaction (which must exist) and hands
     * the upload to this server's executor once that transaction commits; a rollback leaves it to
     * the caller to close.
     */
    public ImportView start(String username, Kind kind, String fileName, Upload upload, Instant now) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("An import is started inside a transaction");
        }
        long id = jdbc.sql("""
                        insert into directory_import (kind, file_name, size_bytes, status, started_by, created_at, heartbeat_at)
                        values (?, ?, ?, 'QUEUED', ?, ?, ?) returning id""")
                .params(kind.name(), fileName, upload.size, username, Timestamp.from(now), Timestamp.from(now))
                .query(Long.class).single();
        audit.record(username, AuditTrail.Subject.DIRECTORY_IMPORT, String.valueOf(id), null, "STARTED",
                detail(kind, fileName, upload.size, Status.QUEUED), now);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                upload.handedOver.set(true);
                Job job = new Job(id, kind, fileName, upload.file, upload.size, username);
                jobs.put(id, job);
                executor.execute(() -> run(job));
            }
        });
        return find(id).orElseThrow();
    }

    // ------------------------------------------------------------------ reading imports

    public Optional<ImportView> find(long id) {
        return jdbc.sql(SELECT + " where id = ?").param(id).query(this::view).optional();
    }

    /** Imports newest first, keyset-paged by id. */
    public Cursor.Page<ImportView> list(Cursor after, int limit) {
        long before = after == null ? Long.MAX_VALUE : parseId(after.id());
        List<ImportView> rows = jdbc.sql(SELECT + " where id < ? order by id desc limit ?")
                .params(before, limit + 1).query(this::view).list();
        return page(rows, limit, v -> String.valueOf(v.id()));
    }

    /** The report of an import in file order, keyset-paged. */
    public Cursor.Page<ProblemRow> problems(long importId, Cursor after, int limit) {
        int from = after == null ? -1 : (int) parseId(after.id());
        record Numbered(int seq, ProblemRow problem) {}
        List<Numbered> rows = jdbc.sql("""
                        select seq, row_number, column_name, code, reason from directory_import_problem
                        where import_id = ? and seq > ? order by seq limit ?""")
                .params(importId, from, limit + 1)
                .query((rs, n) -> new Numbered(rs.getInt("seq"), new ProblemRow(rs.getInt("row_number"),
                        rs.getString("column_name"), rs.getString("code"), rs.getString("reason"))))
                .list();
        boolean more = rows.size() > limit;
        List<Numbered> shown = more ? rows.subList(0, limit) : rows;
        return new Cursor.Page<>(shown.stream().map(Numbered::problem).toList(),
                more ? new Cursor("", String.valueOf(shown.getLast().seq())).encode() : null);
    }

    /** Every kept problem of an import, in file order, for the CSV report. */
    public void forEachProblem(long importId, Consumer<ProblemRow> each) {
        jdbc.sql("""
                        select row_number, column_name, code, reason from directory_import_problem
                        where import_id = ? order by seq""")
                .param(importId)
                .query((ResultSet rs) -> {
                    each.accept(new ProblemRow(rs.getInt("row_number"), rs.getString("column_name"),
                            rs.getString("code"), rs.getString("reason")));
                });
    }

    private static final String SELECT = """
            select id, kind, file_name, size_bytes, status, bytes_read, rows_read, rows_imported, rows_rejected,
                problem_count, error, started_by, created_at, started_at, finished_at, heartbeat_at
            from directory_import""";

    private ImportView view(ResultSet rs, int row) throws SQLException {
        Status status = Status.valueOf(rs.getString("status"));
        long size = rs.getLong("size_bytes");
        long bytesRead = rs.getLong("bytes_read");
        int percent = status == Status.SUCCEEDED ? 100
                : (int) Math.min(99, size == 0 ? 0 : bytesRead * 100 / size);
        return new ImportView(rs.getLong("id"), Kind.valueOf(rs.getString("kind")), rs.getString("file_name"), size,
                status, percent, bytesRead, rs.getLong("rows_read"), rs.getLong("rows_imported"),
                rs.getLong("rows_rejected"), rs.getLong("problem_count"), rs.getString("error"),
                rs.getString("started_by"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"), instant(rs, "heartbeat_at"));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static <T> Cursor.Page<T> page(List<T> rows, int limit, Function<T, String> id) {
        boolean more = rows.size() > limit;
        List<T> shown = more ? rows.subList(0, limit) : rows;
        return new Cursor.Page<>(List.copyOf(shown), more ? new Cursor("", id.apply(shown.getLast())).encode() : null);
    }

    private static long parseId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("cursor", "INVALID_CURSOR", "problem.cursor.invalid");
        }
    }

    // ------------------------------------------------------------------ running an import

    /** An import this server holds: queued on its executor or running. */
    private static final class Job {
        final long id;
        final Kind kind;
        final String fileName;
        final Path file;
        final long size;
        final String startedBy;
        final AtomicLong bytesRead = new AtomicLong();
        final DirectoryImport.Progress progress = new DirectoryImport.Progress();

        Job(long id, Kind kind, String fileName, Path file, long size, String startedBy) {
            this.id = id;
            this.kind = kind;
            this.fileName = fileName;
            this.file = file;
            this.size = size;
            this.startedBy = startedBy;
        }
    }

    /** Thrown inside an import's transaction when its row is no longer RUNNING: someone gave it up. */
    private static final class GivenUp extends RuntimeException {
        GivenUp() {
            super(INTERRUPTED);
        }
    }

    private void run(Job job) {
        try {
            transactions.executeWithoutResult(status -> apply(job));
            log.info("Directory import {} ({} {}) finished", job.id, job.kind, job.fileName);
        } catch (GivenUp e) {
            log.warn("Directory import {} was given up by another server; nothing was applied", job.id);
        } catch (Throwable e) {
            log.warn("Directory import {} failed; nothing was applied", job.id, e);
            fail(job, e);
        } finally {
            jobs.remove(job.id);
            release(job.file);
        }
    }

    /** The import's own transaction: load the file, store the report, finish the row. */
    private void apply(Job job) {
        jdbc.sql("select set_config('application_name', ?, true)").param("mci-directory-import-" + job.id)
                .query(String.class).single();
        // Wait for other imports here, still QUEUED, so RUNNING means this file is being applied.
        jdbc.sql("select pg_advisory_xact_lock(?)").param(DirectoryImport.LOCK).query(Object.class).single();
        Instant startedAt = clock.instant();
        Integer running = separateTransactions.execute(status -> jdbc.sql("""
                        update directory_import set status = 'RUNNING', started_at = ?, heartbeat_at = ?
                        where id = ? and status = 'QUEUED'""")
                .params(Timestamp.from(startedAt), Timestamp.from(startedAt), job.id).update());
        if (running == null || running == 0) {
            throw new GivenUp();
        }
        DirectoryImport.Report report;
        try (InputStream in = new CountingInputStream(Files.newInputStream(job.file), job.bytesRead);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            report = directoryImport.load(job.kind, reader, job.progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storeProblems(job.id, report.problems());
        Instant now = clock.instant();
        Status status = report.refused() ? Status.FAILED : Status.SUCCEEDED;
        String error = report.refused() ? "the header is not valid; nothing was applied" : null;
        int finished = jdbc.sql("""
                        update directory_import set status = ?, error = ?, bytes_read = size_bytes, rows_read = ?,
                            rows_imported = ?, rows_rejected = ?, problem_count = ?, finished_at = ?, heartbeat_at = ?
                        where id = ? and status = 'RUNNING'""")
                .params(status.name(), error, report.rowsRead(), report.imported(), report.rejected(),
                        report.problemCount(), Timestamp.from(now), Timestamp.from(now), job.id)
                .update();
        if (finished == 0) {
            throw new GivenUp();
        }
        Map<String, Object> detail = detail(job.kind, job.fileName, job.size, status);
        detail.put("rowsRead", report.rowsRead());
        detail.put("rowsImported", report.imported());
        detail.put("rowsRejected", report.rejected());
        detail.put("problemCount", report.problemCount());
        if (error != null) {
            detail.put("error", error);
        }
        audit.record(job.startedBy, AuditTrail.Subject.DIRECTORY_IMPORT, String.valueOf(job.id), null, "FINISHED",
                detail, now);
    }

    private void storeProblems(long importId, List<DirectoryImport.Problem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into directory_import_problem (import_id, seq, row_number, column_name, code, reason)
                        select ?, p.seq, p.row_number, p.column_name, p.code, p.reason
                        from unnest(?::int[], ?::int[], ?::text[], ?::text[], ?::text[])
                            as p(seq, row_number, column_name, code, reason)""")
                .params(importId,
                        IntStream.range(0, problems.size()).boxed().toArray(Integer[]::new),
                        problems.stream().map(DirectoryImport.Problem::row).toArray(Integer[]::new),
                        problems.stream().map(DirectoryImport.Problem::column).toArray(String[]::new),
                        problems.stream().map(p -> p.code().name()).toArray(String[]::new),
                        problems.stream().map(DirectoryImport.Problem::reason).toArray(String[]::new))
                .update();
    }

    /** Marks an import FAILED after its transaction rolled back, in a transaction of its own. */
    private void fail(Job job, Throwable cause) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(cause);
        String error = "failed; nothing was applied: " + (root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getMessage());
        String shortError = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        try {
            transactions.executeWithoutResult(status -> finishFailed(job.id, shortError, job.startedBy,
                    job.bytesRead.get(), job.progress.rowsRead(), null));
        } catch (RuntimeException e) {
            log.error("Could not mark directory import {} failed; the stale-import check will", job.id, e);
        }
    }

    /**
     * QUEUED or RUNNING → FAILED with the error, recorded in the audit trail; with {@code staleBefore},
     * only while its heartbeat is still older than that. False when nothing changed.
     */
    private boolean finishFailed(long id, String error, String actor, long bytesRead, long rowsRead,
                                 Instant staleBefore) {
        Instant now = clock.instant();
        record Failed(String kind, String fileName, long sizeBytes) {}
        Optional<Failed> failed = jdbc.sql("""
                        update directory_import set status = 'FAILED', error = ?, finished_at = ?,
                            bytes_read = greatest(bytes_read, ?), rows_read = greatest(rows_read, ?)
                        where id = ? and status in ('QUEUED', 'RUNNING') and (?::timestamptz is null or heartbeat_at < ?)
                        returning kind, file_name, size_bytes""")
                .params(error, Timestamp.from(now), bytesRead, rowsRead, id, timestamp(staleBefore),
                        timestamp(staleBefore))
                .query(Failed.class).optional();
        failed.ifPresent(f -> {
            Map<String, Object> detail = detail(Kind.valueOf(f.kind()), f.fileName(), f.sizeBytes(), Status.FAILED);
            detail.put("error", error);
            audit.record(actor, AuditTrail.Subject.DIRECTORY_IMPORT, String.valueOf(id), null, "FINISHED", detail, now);
        });
        return failed.isPresent();
    }

    /** Writes progress and a heartbeat for every import this server holds, each in its own short transaction. */
    private void beat() {
        for (Job job : jobs.values()) {
            try {
                jdbc.sql("""
                                update directory_import set heartbeat_at = ?, bytes_read = ?, rows_read = ?
                                where id = ? and status in ('QUEUED', 'RUNNING')""")
                        .params(Timestamp.from(clock.instant()), Math.min(job.bytesRead.get(), job.size),
                                job.progress.rowsRead(), job.id)
                        .update();
            } catch (RuntimeException e) {
                log.warn("Could not write the progress of directory import {}: {}", job.id, e.toString());
            }
        }
    }

    /**
     * Marks imports whose server stopped sending heartbeats as FAILED; at start and periodically, on
     * every server. Returns how many it marked.
     */
    @Scheduled(initialDelay = 0, fixedDelayString = "${mci.directory.import.reaper-interval:30s}")
    public int failStaleImports() {
        Instant staleBefore = clock.instant().minus(staleAfter);
        List<Long> stale = jdbc.sql("""
                        select id from directory_import where status in ('QUEUED', 'RUNNING') and heartbeat_at < ?
                        order by id""")
                .param(Timestamp.from(staleBefore)).query(Long.class).list();
        int marked = 0;
        for (long id : stale) {
            Boolean done = transactions.execute(status -> finishFailed(id, INTERRUPTED, "system", 0, 0, staleBefore));
            if (Boolean.TRUE.equals(done)) {
                marked++;
                log.warn("Directory import {} stopped sending heartbeats; marked failed, nothing was applied", id);
            }
        }
        return marked;
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
        executor.shutdownNow();
    }

    private static Map<String, Object> detail(Kind kind, String fileName, long size, Status status) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kind", kind.name());
        detail.put("file", fileName);
        detail.put("sizeBytes", size);
        detail.put("status", status.name());
        return detail;
    }

    /** Counts the bytes read through it, for progress. */
    private static final class CountingInputStream extends FilterInputStream {
        private final AtomicLong count;

        CountingInputStream(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
