package com.loyaltybridge.tagsync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.jdbc.core.JdbcTemplate;

import com.loyaltybridge.tagsync.cli.CommandLineInterface;
import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.SessionmSimulator;
import com.loyaltybridge.tagsync.storage.StorageLocation;

/**
 * End-to-end tests run the command line exactly as a user does, in-process, against real
 * services: PostgreSQL ({@link TestDatabase}), an S3 server ({@link S3TestServer}) and
 * the SessionM simulator. Settings reach the application as command-line properties, the
 * way an operator would override them.
 */
public abstract class SyncTestSupport {

    protected static final String API_KEY = "e2e-api-key";

    protected static final String API_SECRET = "e2e-secret-never-logged";

    protected static final SessionmSimulator sessionm = SharedSimulator.INSTANCE;

    protected static final S3TestServer s3 = S3TestServer.get();

    protected static final JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.dataSource());

    @BeforeEach
    void freshSimulator() {
        sessionm.reset();
    }

    /**
     * Each test starts with no audience: a test's exports of a segment are not compared
     * with another test's exports of the same segment. Tests of audiences sync several
     * exports within the test.
     */
    @BeforeEach
    void noAudienceYet() {
        jdbc.execute("TRUNCATE sync_audience_member_tag, sync_audience");
    }

    /**
     * Runs {@code java -jar segment-tag-sync.jar ARGS} with the test services configured.
     */
    protected Run sync(String... args) {
        return run(Map.of(), args);
    }

    /** Like {@link #sync}, with extra or overriding properties. */
    protected Run run(Map<String, String> properties, String... args) {
        Map<String, String> all = new LinkedHashMap<>(serviceProperties());
        all.putAll(properties);
        List<String> commandLine = new ArrayList<>(List.of(args));
        all.forEach((name, value) -> commandLine.add("--" + name + "=" + value));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitCode code = new CommandLineInterface(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(commandLine.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    protected static Map<String, String> serviceProperties() {
        TestDatabase database = TestDatabase.get();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", database.url());
        properties.put("spring.datasource.username", database.username());
        properties.put("spring.datasource.password", database.password());
        properties.putAll(s3.springProperties());
        properties.put("sessionm.endpoint", sessionm.baseUrl().toString());
        properties.put("sessionm.api-key", API_KEY);
        properties.put("sessionm.api-secret", API_SECRET);
        // Fast failure handling, so fault scenarios take milliseconds.
        properties.put("sessionm.request-timeout", "1s");
        properties.put("sessionm.initial-backoff", "10ms");
        properties.put("sessionm.max-backoff", "50ms");
        properties.put("sessionm.settle-delay", "20ms");
        properties.put("sessionm.max-in-flight", "4");
        properties.put("sessionm.requests-per-second", "0");
        return properties;
    }

    /**
     * Runs {@code fault} on another thread as soon as {@code moment} holds: trouble that
     * strikes in the middle of a run. The future fails if the moment has not come within
     * two minutes; join it to know the fault struck.
     */
    protected static CompletableFuture<Void> strikeWhen(BooleanSupplier moment, Runnable fault) {
        CompletableFuture<Void> struck = new CompletableFuture<>();
        Thread striker = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            try {
                while (!moment.getAsBoolean()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the moment to strike never came");
                    }
                    Thread.sleep(2);
                }
                fault.run();
                struck.complete(null);
            }
            catch (Throwable e) {
                struck.completeExceptionally(e);
            }
        }, "fault-striker");
        striker.setDaemon(true);
        striker.start();
        return struck;
    }

    /**
     * The exactly-once promise as SessionM saw it: each of {@code identifiers} had
     * exactly one applied POST carrying each of {@code tags}, and nobody else had any.
     * POSTs that SessionM received but did not apply do not count.
     */
    protected static void assertAppliedExactlyOnce(Collection<String> identifiers, String... tags) {
        Map<String, Long> expected = new TreeMap<>();
        identifiers.forEach(identifier -> Arrays.stream(tags).forEach(tag -> expected.put(identifier + " " + tag, 1L)));
        Map<String, Long> applied = new TreeMap<>();
        sessionm.stats()
            .tagPosts()
            .stream()
            .filter(posts -> posts.appliedPosts() > 0)
            .forEach(posts -> applied.put(posts.identifier() + " " + posts.tag(), posts.appliedPosts()));
        assertThat(applied).as("applied POSTs per customer and tag").isEqualTo(expected);
    }

    /** POSTs SessionM received (and recorded) since its last reset, per customer. */
    protected static Map<String, Integer> postsPerCustomer() {
        Map<String, Integer> posts = new TreeMap<>();
        sessionm.requests()
            .stream()
            .filter(request -> "POST".equals(request.method()))
            .forEach(request -> posts.merge(request.identifier(), 1, Integer::sum));
        return posts;
    }

    /**
     * What {@link #postsPerCustomer()} is when each of {@code identifiers}, and nobody
     * else, got one POST.
     */
    protected static Map<String, Integer> onePostEach(Collection<String> identifiers) {
        Map<String, Integer> posts = new TreeMap<>();
        identifiers.forEach(identifier -> posts.put(identifier, 1));
        return posts;
    }

    /** The job instance of the sync of {@code export}, as recorded by Spring Batch. */
    protected static long jobInstanceOf(StorageLocation export) {
        return jobInstanceOf(jdbc, export);
    }

    /**
     * The job instance of the sync of {@code export}, as recorded by Spring Batch in
     * {@code database}.
     */
    protected static long jobInstanceOf(JdbcTemplate database, StorageLocation export) {
        return database.queryForObject("""
                SELECT DISTINCT e.job_instance_id FROM batch_job_execution e
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'export' AND p.parameter_value = ?""", Long.class, export.uri());
    }

    protected static Map<String, Long> ledgerStates(StorageLocation export) {
        Map<String, Long> states = new LinkedHashMap<>();
        jdbc.query("SELECT state, count(*) FROM sync_user WHERE job_instance_id = ? GROUP BY state ORDER BY state",
                rs -> {
                    states.put(rs.getString(1), rs.getLong(2));
                }, jobInstanceOf(export));
        return states;
    }

    /** What a run printed and how it ended. */
    public record Run(ExitCode exitCode, String stdout, String stderr) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static final class SharedSimulator {

        static final SessionmSimulator INSTANCE = SessionmSimulator.start(API_KEY, API_SECRET);

    }

}
