package com.loyaltybridge.tagsync.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import com.loyaltybridge.tagsync.bulkfile.BulkFileWriter;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncBulkFilePartRepository;
import com.loyaltybridge.tagsync.ledger.SyncLedgerSummaryRepository.LedgerCounts;
import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncLeftUserRepository.LeftUser;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository;
import com.loyaltybridge.tagsync.ledger.SyncSkippedLineRepository.SkippedLine;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository.RejectedUser;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.storage.ObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.sync.SyncSummaries;
import com.loyaltybridge.tagsync.text.SpreadsheetCsv;
import com.loyaltybridge.tagsync.wallet.OfferWalletJobConfiguration;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummaries;

/**
 * Read-only queries behind the API and the console: executions of the tag sync and the
 * offers job and their dry runs (Spring Batch's tables; this is their one reader outside
 * Spring Batch), and, through the ledger's repositories, the users and lines a sync could
 * not use, the members who left its audience, its bulk file and its pace over time.
 */
@Repository
@ConditionalOnWebApplication
public class ExecutionQueries {

    private static final Logger log = LoggerFactory.getLogger(ExecutionQueries.class);

    /**
     * Intervals of a throughput series: enough to see a run's shape, few enough to read
     * each.
     */
    static final int THROUGHPUT_INTERVALS = 60;

    /** A manifest is a few hundred bytes per part; more than this is shown cut. */
    static final int MAX_MANIFEST_BYTES = 64 * 1024;

    private final JdbcTemplate jdbc;

    private final SyncUserRepository users;

    private final SyncSkippedLineRepository skippedLines;

    private final SyncBulkFilePartRepository bulkFileParts;

    private final SyncLeftUserRepository leftUsers;

    private final ObjectStore store;

    private final JobRepository jobRepository;

    private final SyncSummaries summaries;

    private final OfferWalletSummaries walletSummaries;

    ExecutionQueries(JdbcTemplate jdbc, SyncUserRepository users, SyncSkippedLineRepository skippedLines,
            SyncBulkFilePartRepository bulkFileParts, SyncLeftUserRepository leftUsers, ObjectStore store,
            JobRepository jobRepository, SyncSummaries summaries, OfferWalletSummaries walletSummaries) {
        this.summaries = summaries;
        this.walletSummaries = walletSummaries;
        this.jobRepository = jobRepository;
        this.jdbc = jdbc;
        this.users = users;
        this.skippedLines = skippedLines;
        this.bulkFileParts = bulkFileParts;
        this.leftUsers = leftUsers;
        this.store = store;
    }

    /**
     * A row of the execution list.
     *
     * @param dryRun whether it is an execution of a dry run
     * @param counts what its sync has done so far; only when asked for
     * ({@link #withCounts})
     */
    public record ExecutionRow(long id, long jobInstanceId, String segmentId, String export, String status,
            String exitCode, LocalDateTime createTime, LocalDateTime startTime, LocalDateTime endTime, boolean dryRun,
            @JsonInclude(JsonInclude.Include.NON_NULL) RowCounts counts, String kind) {

        /** Whether it is an execution of the offers job (or its dry run). */
        public boolean offers() {
            return SegmentMapping.Kind.OFFERS.text().equals(kind);
        }

        ExecutionRow withCounts(RowCounts counts) {
            return new ExecutionRow(id, jobInstanceId, segmentId, export, status, exitCode, createTime, startTime,
                    endTime, dryRun, counts, kind);
        }
    }

    /**
     * @param kind {@code tags} or {@code offers}: only executions of that job; null for
     * both
     */
    public record ExecutionFilter(String segmentId, String status, Instant from, Instant to, SegmentMapping.Kind kind) {

        public ExecutionFilter(String segmentId, String status, Instant from, Instant to) {
            this(segmentId, status, from, to, null);
        }
    }

    public ApiPage<ExecutionRow> executions(ExecutionFilter filter, int page, int size) {
        List<Object> arguments = new ArrayList<>(Executions.JOBS.entrySet()
            .stream()
            .filter(job -> filter.kind() == null || job.getValue() == filter.kind())
            .map(Map.Entry::getKey)
            .sorted()
            .toList());
        StringBuilder where = new StringBuilder(
                """
                        FROM batch_job_execution e
                        JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id AND i.job_name IN (%s)
                        JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'export'
                        WHERE TRUE"""
                    .formatted(String.join(", ", Collections.nCopies(arguments.size(), "?"))));
        if (filter.segmentId() != null) {
            where.append(" AND position(? IN p.parameter_value) > 0");
            arguments.add("/segment-export/" + filter.segmentId() + "/");
        }
        if (filter.status() != null) {
            where.append(" AND e.status = ?");
            arguments.add(filter.status());
        }
        if (filter.from() != null) {
            where.append(" AND e.create_time >= ?");
            arguments.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" AND e.create_time < ?");
            arguments.add(Timestamp.from(filter.to()));
        }
        long total = jdbc.queryForObject("SELECT count(*) " + where, Long.class, arguments.toArray());
        List<Object> paged = new ArrayList<>(
                List.of(SegmentSyncJobConfiguration.DRY_RUN_JOB_NAME, OfferWalletJobConfiguration.DRY_RUN_JOB_NAME));
        paged.addAll(arguments);
        paged.add(size);
        paged.add((long) page * size);
        List<ExecutionRow> rows = jdbc.query("""
                SELECT e.job_execution_id, e.job_instance_id, p.parameter_value, e.status, e.exit_code,
                       e.create_time, e.start_time, e.end_time, i.job_name IN (?, ?), i.job_name
                """ + where + " ORDER BY e.job_execution_id DESC LIMIT ? OFFSET ?",
                (rs, row) -> new ExecutionRow(rs.getLong(1), rs.getLong(2),
                        SyncRequest.segmentIdOf(StorageLocation.parse(rs.getString(3))), rs.getString(3),
                        rs.getString(4), rs.getString(5), time(rs, 6), time(rs, 7), time(rs, 8), rs.getBoolean(9), null,
                        Executions.JOBS.get(rs.getString(10)).text()),
                paged.toArray());
        return new ApiPage<>(rows, page, size, total);
    }

    /**
     * What the runs of a page of executions have done so far (their whole run, every
     * execution of it), keyed by job instance: a tag sync's counted as its summary counts
     * them ({@link SyncSummaries#ledgerCounts}: only the users a plan sends, and the
     * stored counts of a pruned sync), an offers run's as its summary counts them
     * ({@link OfferWalletSummaries#ledgerCounts}). Each counts every row of its run, so
     * it is asked for only where the counts are shown (the console's list, the API's list
     * with {@code counts=true}).
     */
    private Map<Long, RowCounts> countsOf(Collection<ExecutionRow> rows) {
        Map<Long, Long> skipped = skippedLines
            .countOf(rows.stream().map(ExecutionRow::jobInstanceId).distinct().toList());
        Map<Long, RowCounts> counts = new HashMap<>();
        for (ExecutionRow row : rows) {
            long id = row.jobInstanceId();
            if (counts.containsKey(id)) {
                continue;
            }
            LedgerCounts ledger = row.offers() ? walletSummaries.ledgerCounts(id) : summaries.ledgerCounts(id);
            Map<LedgerState, Long> byState = ledger.usersByState();
            counts.put(id, new RowCounts(ledger.users(), byState.getOrDefault(LedgerState.TAGGED, 0L),
                    byState.getOrDefault(LedgerState.ALREADY_TAGGED, 0L),
                    byState.getOrDefault(LedgerState.IN_DOUBT, 0L), byState.getOrDefault(LedgerState.REJECTED, 0L),
                    byState.getOrDefault(LedgerState.STAGED, 0L) + byState.getOrDefault(LedgerState.SENDING, 0L),
                    skipped.getOrDefault(id, 0L), byState.getOrDefault(LedgerState.WRITTEN, 0L),
                    byState.getOrDefault(LedgerState.CHANGED, 0L), byState.getOrDefault(LedgerState.UNCHANGED, 0L),
                    byState.getOrDefault(LedgerState.REFUSED, 0L)));
        }
        return counts;
    }

    /**
     * The latest execution of the sync {@code request} asks for (one export with one tag
     * setting), if it ever ran.
     */
    public Optional<JobExecution> latestExecutionOf(SyncRequest request) {
        JobInstance instance = jobRepository.getJobInstance(SegmentSyncJobConfiguration.JOB_NAME,
                request.toJobParameters());
        return instance == null ? Optional.empty() : Optional.ofNullable(jobRepository.getLastJobExecution(instance));
    }

    /** {@code page} with the counts of each row's sync ({@link #countsOf}). */
    public ApiPage<ExecutionRow> withCounts(ApiPage<ExecutionRow> page) {
        Map<Long, RowCounts> counts = countsOf(page.items());
        return new ApiPage<>(page.items().stream().map(row -> row.withCounts(counts.get(row.jobInstanceId()))).toList(),
                page.page(), page.size(), page.total());
    }

    /**
     * The counts of one row of an executions list: the users of its run by where they
     * stand, and skipped lines. A tag sync's users are tagged, already tagged, in doubt
     * or rejected; an offers run's members are written, changed (a dry run's: what the
     * real run would write), unchanged, rejected by SessionM or refused by Braze.
     *
     * @param notYetTagged users (members) still to be done
     */
    public record RowCounts(long users, long tagged, long alreadyTagged, long inDoubt, long rejected, long notYetTagged,
            long skippedLines, long written, long changed, long unchanged, long refused) {
    }

    public ApiPage<RejectedUser> rejectedUsers(long jobInstanceId, int page, int size) {
        return new ApiPage<>(users.rejectedUsers(jobInstanceId, size, (long) page * size), page, size,
                users.rejectedCount(jobInstanceId));
    }

    public ApiPage<SkippedLine> skippedLines(long jobInstanceId, int page, int size) {
        return new ApiPage<>(skippedLines.skippedLines(jobInstanceId, size, (long) page * size), page, size,
                skippedLines.count(jobInstanceId));
    }

    /**
     * Users done per interval over one execution's run, from its start to its end (or
     * now, while it runs): in api mode the outcomes the ledger recorded
     * ({@code sync_user.updated_at}), in csv mode the users of each bulk file part when
     * it was published. Outcomes of other executions of the sync fall outside the run and
     * are not counted.
     *
     * @param from the start of the first interval
     * @param intervalMillis the length of each interval
     * @param users users done in each interval
     * @param source {@code ledger} or {@code bulk_file_parts}
     */
    public record Throughput(Instant from, long intervalMillis, long[] users, String source) {
    }

    public Throughput throughput(JobExecution execution) {
        long jobInstanceId = execution.getJobInstance().getInstanceId();
        // Spring Batch writes its times as local date-times of the JVM that ran the job.
        LocalDateTime started = execution.getStartTime() != null ? execution.getStartTime() : execution.getCreateTime();
        Instant start = started.atZone(ZoneId.systemDefault()).toInstant();
        Instant end = execution.getEndTime() == null ? Instant.now()
                : execution.getEndTime().atZone(ZoneId.systemDefault()).toInstant();
        long runMillis = Math.max(1, Duration.between(start, end).toMillis());
        // Whole seconds at least, so that each bar of a short run still stands for a
        // readable span.
        long intervalMillis = Math.max(1000, (runMillis + THROUGHPUT_INTERVALS - 1) / THROUGHPUT_INTERVALS);
        int intervals = (int) Math.max(1,
                Math.min(THROUGHPUT_INTERVALS, (runMillis + intervalMillis - 1) / intervalMillis));
        List<SyncBulkFilePartRepository.PublishedAt> parts = bulkFileParts.publishedParts(jobInstanceId);
        if (parts.isEmpty()) {
            return new Throughput(start, intervalMillis,
                    users.outcomesPerInterval(jobInstanceId, start, intervalMillis, intervals), "ledger");
        }
        long[] counts = new long[intervals];
        for (SyncBulkFilePartRepository.PublishedAt part : parts) {
            long interval = Duration.between(start, part.publishedAt()).toMillis() / intervalMillis;
            if (!part.publishedAt().isBefore(start) && interval < intervals) {
                counts[(int) interval] += part.part().users();
            }
        }
        return new Throughput(start, intervalMillis, counts, "bulk_file_parts");
    }

    /**
     * A sync's bulk file: its published parts and the manifest published after the last
     * of them.
     *
     * @param manifestLocation where the manifest is, or will be once the file is
     * complete; null without parts
     * @param manifest the manifest's text (at most {@value #MAX_MANIFEST_BYTES} bytes);
     * null until published
     */
    public record BulkFile(List<SyncBulkFilePartRepository.PublishedAt> parts, String manifestLocation,
            String manifest) {
    }

    public BulkFile bulkFile(long jobInstanceId) {
        List<SyncBulkFilePartRepository.PublishedAt> parts = bulkFileParts.publishedParts(jobInstanceId);
        if (parts.isEmpty()) {
            return new BulkFile(parts, null, null);
        }
        String first = parts.get(0).part().location();
        StorageLocation folder = StorageLocation.parse(first.substring(0, first.lastIndexOf('/') + 1));
        String manifest = null;
        try {
            for (StoredObject object : store.list(folder)) {
                if (object.name().equals(BulkFileWriter.MANIFEST_NAME)) {
                    try (InputStream in = store.open(object)) {
                        manifest = new String(in.readNBytes(MAX_MANIFEST_BYTES), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        catch (IOException | RuntimeException e) {
            // The parts are known from PostgreSQL; the manifest is a courtesy when its
            // store answers.
            log.warn("Could not read the bulk file manifest in {}: {}", folder, e.getMessage());
        }
        return new BulkFile(parts, folder.uri() + BulkFileWriter.MANIFEST_NAME, manifest);
    }

    ApiPage<LeftUser> leftUsers(long jobInstanceId, int page, int size) {
        return new ApiPage<>(leftUsers.leftUsers(jobInstanceId, size, (long) page * size), page, size,
                leftUsers.count(jobInstanceId));
    }

    /**
     * Writes every member who left as a CSV for people (see {@link SpreadsheetCsv}),
     * streamed from PostgreSQL.
     */
    void writeLeftUsersCsv(long jobInstanceId, Writer out) {
        writeCsv(out, new String[] { "identifier", "tags" }, printer -> leftUsers.forEachLeftUser(jobInstanceId,
                user -> printer.accept(new Object[] { user.identifier(), String.join(",", user.tags()) })));
    }

    /**
     * Writes every rejected user as a CSV for people (see {@link SpreadsheetCsv}),
     * streamed from PostgreSQL.
     */
    public void writeRejectedUsersCsv(long jobInstanceId, Writer out) {
        writeCsv(out, new String[] { "identifier", "http_status", "code", "message", "at" }, printer -> users
            .forEachRejectedUser(jobInstanceId, user -> printer.accept(
                    new Object[] { user.identifier(), user.httpStatus(), user.code(), user.message(), user.at() })));
    }

    /**
     * Writes every skipped line as a CSV for people (see {@link SpreadsheetCsv}),
     * streamed from PostgreSQL.
     */
    public void writeSkippedLinesCsv(long jobInstanceId, Writer out) {
        writeCsv(out, new String[] { "object_key", "line_number", "reason", "detail" },
                printer -> skippedLines.forEachSkippedLine(jobInstanceId, line -> printer
                    .accept(new Object[] { line.objectKey(), line.lineNumber(), line.reason(), line.detail() })));
    }

    /**
     * {@code rows} hands each row to the consumer it is given, which prints it as a CSV
     * for people.
     */
    private static void writeCsv(Writer out, String[] header, Consumer<Consumer<Object[]>> rows) {
        SpreadsheetCsv csv = SpreadsheetCsv.to(out, header);
        rows.accept(csv::row);
        csv.flush();
    }

    private static LocalDateTime time(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toLocalDateTime();
    }

}
