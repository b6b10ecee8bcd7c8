package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static com.loyaltybridge.tagsync.support.DailyExports.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.sessionm.simulator.FaultRate;
import com.loyaltybridge.tagsync.sessionm.simulator.SimulatorStats.TagPosts;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ChaosSeed;
import com.loyaltybridge.tagsync.support.DailyExports;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.PackagedSync;
import com.loyaltybridge.tagsync.support.PackagedSync.Execution;
import com.loyaltybridge.tagsync.support.S3TestServer;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * The packaged application, run as an operator runs it ({@code java -jar}, a JVM of its
 * own), SIGKILLed at random moments and run again until it completes: in the middle of
 * its start, of staging, of a chunk, of a call whose answer SessionM has not sent yet.
 * Afterwards every valid user has exactly one applied POST per tag, the users SessionM
 * refused and the unusable lines are recorded once each, and the final summary counts
 * what SessionM saw.
 * <p>
 * An audience's second day is killed the same way: its entering members each get exactly
 * one POST, nobody else any, and the third day (the same members) sends nothing.
 * <p>
 * Seeded: the seed is printed, and {@code -Dchaos.seed=N} replays a run's choices (the
 * kinds and moments of the kills, SessionM's random faults). In CI the loop kills 10
 * times (the second day 6 times); {@code -Dchaos.soak=true} kills 40 times over 20,000
 * users (the second day 20 times) ({@code -Dchaos.kills}, {@code -Dchaos.users},
 * {@code -Dchaos.day2.kills} set either directly).
 */
class KillAndResumeIT extends SyncTestSupport {

    private static final boolean SOAK = Boolean.getBoolean("chaos.soak");

    private static final int KILLS = Integer.getInteger("chaos.kills", SOAK ? 40 : 10);

    private static final int USERS = Integer.getInteger("chaos.users", SOAK ? 20_000 : 3_000);

    private static final int DAY_TWO_KILLS = Integer.getInteger("chaos.day2.kills", SOAK ? 20 : 6);

    private static final String STARTED_WORK = "(?m)(Starting|Resuming) sync ";

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(SOAK ? 15 : 3);

    private static final int STAGING_CHUNK = 250;

    /**
     * Each look at the ledger opens a connection: often enough to land within a chunk,
     * seldom enough not to load PostgreSQL.
     */
    private static final Duration DATABASE_POLL = Duration.ofMillis(25);

    /**
     * How long the last run took to start working: kills during the start land anywhere
     * within it.
     */
    private Duration startup = Duration.ofSeconds(2);

    /**
     * What a loop kills: the sync of {@code export}, {@code lines} lines long; a working
     * kill lands up to {@code workMillis} into the work, a mid-call one up to
     * {@code posts} POSTs after the last kill.
     */
    private record Target(StorageLocation export, int lines, long workMillis, int posts) {
    }

    /**
     * When a kill lands: the first two rounds while the export is staged, the others in a
     * seeded shuffle of the rest.
     */
    private enum Moment {

        /**
         * While the export is read into the ledger, at a random number of users staged.
         */
        STAGING,
        /**
         * Anywhere in the start: the JVM, Spring, Flyway, taking the run lock, recovering
         * the killed execution.
         */
        STARTING,
        /**
         * A random time into the work once started: listing, settling what a killed run
         * left in doubt, tagging.
         */
        WORKING,
        /**
         * Just after SessionM received a POST and applied it, before its answer is back.
         */
        MID_CALL

    }

    @Test
    void everyUserIsTaggedExactlyOnceHoweverOftenTheSyncIsKilled() throws Exception {
        long seed = ChaosSeed.forTest("KillAndResumeIT.everyUserIsTaggedExactlyOnceHoweverOftenTheSyncIsKilled");
        Random random = new Random(seed);
        int third = USERS / 3;
        StorageLocation export = ExportFolder.of("chaos")
            .writeTo(s3, "braze-exports",
                    Map.of("a.zip", zip(lines(users(1, third)), lines("not json at all", "{\"external_id\":42}")),
                            "b.gz", gzip(lines(users(third + 1, 2 * third))), "c.zip",
                            zip(lines(users(2 * third + 1, USERS)), lines(user("C-5")))));
        Set<String> unknown = IntStream.rangeClosed(1, USERS / 100)
            .mapToObj(i -> "C-" + i * 100)
            .collect(Collectors.toCollection(TreeSet::new));
        sessionm.unknownCustomers(unknown.toArray(String[]::new));
        slowAndFaulty(seed);
        PackagedSync sync = packaged("kill-loop", List.of(), export, List.of("--tags=vip,braze_sync"),
                Map.of("sessionm.max-in-flight", "8", "sessionm.requests-per-second", "150", "sessionm.request-timeout",
                        "2s", "sync.staging-chunk-size", Integer.toString(STAGING_CHUNK), "sync.tagging-chunk-size",
                        "100", "sync.intent-batch-size", "8"));

        List<Long> inDoubtAfterKills = killAgainAndAgain(sync, "round", schedule(random, KILLS, 2), random, seed,
                new Target(export, USERS, 2_500, 300), () -> ledgerCount(export, "state = 'SENDING'"));
        sessionm.latency(Duration.ZERO);
        Execution last = sync.start("final");
        int exitCode = last.awaitExit(RUN_TIMEOUT);

        String summary = last.output();
        assertThat(exitCode).as(summary).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION.code());
        assertThat(inDoubtAfterKills).as("users left in doubt by each kill").anyMatch(count -> count > 0);
        assertThat(sync.allOutput()).as("a resumed run recovers the execution a killed one left running")
            .contains("was left STARTED by a process that is gone; marking it failed and resuming");

        List<String> valid = IntStream.rangeClosed(1, USERS)
            .mapToObj(i -> "C-" + i)
            .filter(id -> !unknown.contains(id))
            .toList();
        assertAppliedExactlyOnce(valid, "vip", "braze_sync");
        long jobInstance = jobInstanceOf(export);
        assertThat(jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? AND state = 'REJECTED'"
                + " AND sessionm_code = 'user_not_found' ORDER BY identifier", String.class, jobInstance))
            .as("users SessionM does not know, recorded once each")
            .containsExactlyElementsOf(unknown);
        assertThat(jdbc.query(
                "SELECT object_key, line_number, reason FROM sync_skipped_line WHERE job_instance_id = ?"
                        + " ORDER BY object_key, line_number",
                (rs, row) -> tuple(rs.getString(1), rs.getLong(2), rs.getString(3)), jobInstance))
            .containsExactly(tuple(export.prefix() + "a.zip", (long) third + 1, "invalid_json"),
                    tuple(export.prefix() + "a.zip", (long) third + 2, "wrong_type"),
                    tuple(export.prefix() + "c.zip", (long) (USERS - 2 * third) + 1, "duplicate_user"));
        assertThat(ledgerStates(export).keySet()).as("nobody left to tag").doesNotContain("STAGED", "SENDING");

        long customersTagged = sessionm.stats()
            .tagPosts()
            .stream()
            .filter(posts -> posts.appliedPosts() > 0)
            .map(TagPosts::identifier)
            .distinct()
            .count();
        assertThat(summaryCount(summary, "users")).isEqualTo(USERS);
        assertThat(summaryCount(summary, "tagged") + summaryCount(summary, "already tagged")
                + summaryCount(summary, "in doubt"))
            .as("users tagged, as the summary counts them and as SessionM saw them")
            .isEqualTo(customersTagged);
        assertThat(summaryCount(summary, "rejected by SessionM")).isEqualTo(unknown.size());
        assertThat(summaryCount(summary, "skipped lines")).isEqualTo(3);
        assertNoSecretIn(sync.allOutput());
    }

    @Test
    void killedAgainAndAgainOnItsSecondDayAnAudienceSendsEachEnteringMemberOnceAndNothingOnTheThird() throws Exception {
        long seed = ChaosSeed
            .forTest("KillAndResumeIT.killedAgainAndAgainOnItsSecondDayAnAudienceSendsEachEnteringMemberOnce"
                    + "AndNothingOnTheThird");
        Random random = new Random(seed);
        String segment = "chaos-audience-" + UUID.randomUUID();
        int churn = USERS / 50;
        StorageLocation day1 = DailyExports.write(s3, "braze-exports", segment, 1, ids(1, USERS));
        StorageLocation day2 = DailyExports.write(s3, "braze-exports", segment, 2, ids(churn + 1, USERS + churn));
        List<String> entering = ids(USERS + 1, USERS + churn);
        Run first = sync("sync", "--export=" + day1.uri(), "--tags=vip,braze_sync", "--mode=api");
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCode.COMPLETED);
        // SessionM's side of day 2 alone from here: a member's tags then show only what
        // day 2 sent it.
        sessionm.reset();
        slowAndFaulty(seed);
        // Slow enough that the entering members' calls outlast the kills meant to land
        // among them.
        PackagedSync sync = packaged("kill-loop-day-2", List.of(), day2, List.of("--tags=vip,braze_sync"),
                Map.of("sessionm.max-in-flight", "4", "sessionm.requests-per-second", "10", "sessionm.request-timeout",
                        "2s", "sync.staging-chunk-size", Integer.toString(STAGING_CHUNK), "sync.tagging-chunk-size",
                        "20", "sync.intent-batch-size", "8"));

        List<Long> inDoubtAfterKills = killAgainAndAgain(sync, "day 2, round", schedule(random, DAY_TWO_KILLS, 1),
                random, seed, new Target(day2, USERS, 1_500, 8), () -> memberTagCount(segment, "status = 'SENDING'"));
        sessionm.latency(Duration.ZERO);
        Execution last = sync.start("day-2-final");
        int exitCode = last.awaitExit(RUN_TIMEOUT);

        String summary = last.output();
        long inDoubt = summaryCount(summary, "in doubt");
        assertThat(exitCode).as(summary)
            .isEqualTo((inDoubt > 0 ? ExitCode.COMPLETED_NEEDS_ATTENTION : ExitCode.COMPLETED).code());
        assertThat(inDoubtAfterKills).as("(member, tag) pairs a kill left between the call and the state's update")
            .anyMatch(count -> count > 0);
        assertAppliedExactlyOnce(entering, "vip", "braze_sync");
        assertThat(summaryCount(summary, "entering")).isEqualTo(churn);
        assertThat(summaryCount(summary, "unchanged")).isEqualTo(USERS - churn);
        assertThat(summaryCount(summary, "left")).isEqualTo(churn);
        assertThat(memberTagCount(segment, "status NOT IN ('TAGGED', 'IN_DOUBT', 'LEFT')")).as("nothing left unsettled")
            .isZero();
        assertThat(memberTagCount(segment, "status = 'LEFT'")).isEqualTo(2L * churn);
        assertNoSecretIn(sync.allOutput());

        int requestsBefore = sessionm.requests().size();
        Run third = sync("sync",
                "--export=" + DailyExports.write(s3, "braze-exports", segment, 3, ids(churn + 1, USERS + churn)).uri(),
                "--tags=vip,braze_sync", "--mode=api");

        assertThat(third.exitCode()).as(third.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(sessionm.requests().stream().skip(requestsBefore))
            .as("day 3, the same members: nothing sent, nothing read")
            .isEmpty();
        assertAppliedExactlyOnce(entering, "vip", "braze_sync");
    }

    @Test
    void aKillWhileSessionmHoldsCallsUnansweredIsSettledByReadingNotBySendingAgain() throws Exception {
        StorageLocation export = ExportFolder.of("chaos")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(users(1, 40)))));
        // C-11 and C-12 are applied but never answered; C-13 and C-14 are received but
        // neither applied nor answered.
        sessionm.faultFor("C-11", Fault.applyThenDelay(Duration.ofMinutes(10)));
        sessionm.faultFor("C-12", Fault.applyThenDelay(Duration.ofMinutes(10)));
        sessionm.faultFor("C-13", Fault.hang());
        sessionm.faultFor("C-14", Fault.hang());
        // JDK HttpClient and Spring HTTP logging on, to prove the credentials stay out of
        // logs all the same.
        PackagedSync sync = packaged("unanswered", List.of("-Djdk.httpclient.HttpClient.log=errors,requests"), export,
                List.of("--tags=vip", "--ttl=3600"),
                Map.of("sessionm.max-in-flight", "4", "sessionm.request-timeout", "10m", "sync.intent-batch-size", "8",
                        "logging.level.org.springframework.web.client", "DEBUG",
                        "logging.level.org.springframework.http", "DEBUG", "logging.level.com.zaxxer.hikari", "DEBUG"));

        Execution first = sync.start("held");
        awaitOrFail(first,
                () -> sessionm.hungCount() == 2 && !sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-12").isEmpty()
                        && !sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-11").isEmpty());
        first.kill();

        long jobInstance = jobInstanceOf(export);
        assertThat(jdbc.queryForList("SELECT identifier FROM sync_user WHERE job_instance_id = ? AND state = 'SENDING'",
                String.class, jobInstance))
            .as("in doubt after the kill")
            .contains("C-11", "C-12", "C-13", "C-14");
        sessionm.clearFaults();
        Execution resumed = sync.start("resumed");
        int exitCode = resumed.awaitExit(RUN_TIMEOUT);

        assertThat(exitCode).as(resumed.output()).isEqualTo(ExitCode.COMPLETED.code());
        for (String applied : List.of("C-11", "C-12")) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, applied)).as("%s: read, not sent again", applied)
                .hasSize(1);
        }
        for (String neverApplied : List.of("C-13", "C-14")) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, neverApplied))
                .as("%s: read, found missing, sent once more", neverApplied)
                .hasSize(2);
        }
        assertThat(sessionm.requests()).filteredOn(request -> "GET".equals(request.method()))
            .extracting(request -> request.identifier())
            .contains("C-11", "C-12", "C-13", "C-14");
        assertAppliedExactlyOnce(IntStream.rangeClosed(1, 40).mapToObj(i -> "C-" + i).toList(), "vip");
        assertThat(jdbc.query("""
                SELECT identifier, state FROM sync_user
                WHERE job_instance_id = ? AND identifier IN ('C-11', 'C-12', 'C-13', 'C-14') ORDER BY identifier""",
                (rs, row) -> tuple(rs.getString(1), rs.getString(2)), jobInstance))
            .containsExactly(tuple("C-11", "ALREADY_TAGGED"), tuple("C-12", "ALREADY_TAGGED"), tuple("C-13", "TAGGED"),
                    tuple("C-14", "TAGGED"));
        assertThat(resumed.output()).contains("was left STARTED by a process that is gone");
        assertNoSecretIn(sync.allOutput());
    }

    /**
     * SessionM answers in 20 ms, and now and then fails a call, before or after applying
     * it.
     */
    private static void slowAndFaulty(long seed) {
        sessionm.latency(Duration.ofMillis(20));
        sessionm.faultRates(seed, FaultRate.of(Fault.status(500), 0.01),
                FaultRate.of(Fault.status(500).afterApplying(), 0.005), FaultRate.of(Fault.resetAfterApply(), 0.005));
    }

    /**
     * Starts {@code sync} once per moment and kills it then; after each kill, no POST was
     * applied twice. Returns what {@code inDoubt} counted after each kill: what a kill
     * left between a call and the record of its outcome.
     */
    private List<Long> killAgainAndAgain(PackagedSync sync, String rounds, List<Moment> moments, Random random,
            long seed, Target target, LongSupplier inDoubt) throws InterruptedException {
        List<Long> inDoubtAfterKills = new ArrayList<>();
        for (Moment planned : moments) {
            int round = inDoubtAfterKills.size() + 1;
            // A loaded machine can finish staging within the first round's kill (its last
            // chunk committed, the step
            // not yet marked completed when the kill landed): its moment is gone, not the
            // kill.
            Moment moment = planned == Moment.STAGING && (stagingDone(target.export())
                    || ledgerCount(target.export(), "true") >= target.lines() - STAGING_CHUNK) ? Moment.WORKING
                            : planned;
            Execution run = sync.start(rounds.replace(", ", "-").replace(' ', '-') + "-" + round);
            assertThat(strike(run, moment, random, target))
                .as("%s %d ended by itself before its %s kill (seed %d): give the sync more work%n%s", rounds, round,
                        moment, seed, run.output())
                .isTrue();
            assertNoPostAppliedTwice();
            long left = inDoubt.getAsLong();
            inDoubtAfterKills.add(left);
            System.out.printf("%s %d: killed %s after %d ms; %d users staged, %d POSTs received, %d in doubt%n", rounds,
                    round, moment, run.age().toMillis(), ledgerCount(target.export(), "true"), sessionm.postCount(),
                    left);
        }
        return inDoubtAfterKills;
    }

    private static PackagedSync packaged(String name, List<String> jvmOptions, StorageLocation export,
            List<String> tagging, Map<String, String> settings) {
        List<String> arguments = new ArrayList<>(List.of("sync", "--export=" + export.uri(), "--mode=api"));
        arguments.addAll(tagging);
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.putAll(settings);
        return new PackagedSync(jvmOptions, arguments, properties, Path.of("target", "chaos", name));
    }

    /**
     * The kind of kill of every round: staging is only done in the first rounds, so the
     * first {@code staging} kill it; of the others, a fifth kill the start and the rest
     * are shared between working and mid-call, in an order the seed shuffles.
     */
    private static List<Moment> schedule(Random random, int kills, int staging) {
        List<Moment> later = new ArrayList<>();
        for (int kill = staging; kill < kills; kill++) {
            later.add(kill % 5 == 0 ? Moment.STARTING : kill % 2 == 0 ? Moment.WORKING : Moment.MID_CALL);
        }
        Collections.shuffle(later, random);
        List<Moment> moments = new ArrayList<>(Collections.nCopies(staging, Moment.STAGING));
        moments.addAll(later);
        return moments.subList(0, kills);
    }

    /** Kills the run at the moment; false when the run ended by itself first. */
    private boolean strike(Execution run, Moment moment, Random random, Target target) throws InterruptedException {
        StorageLocation export = target.export();
        switch (moment) {
            case STAGING -> {
                // A chunk before the end at the latest, so that the kill lands while
                // users are still being read.
                long staged = ledgerCount(export, "true");
                long reach = staged + 1 + random.nextLong(Math.max(1, target.lines() - STAGING_CHUNK - staged));
                if (!waitUntil(run, () -> ledgerCount(export, "true") >= reach, DATABASE_POLL)) {
                    return false;
                }
            }
            case STARTING -> {
                long at = random.nextLong(startup.toMillis() + 1);
                if (!waitUntil(run, () -> run.age().toMillis() >= at)) {
                    return false;
                }
            }
            case WORKING -> {
                if (!awaitWork(run)) {
                    return false;
                }
                long at = run.age().toMillis() + random.nextLong(target.workMillis());
                if (!waitUntil(run, () -> run.age().toMillis() >= at)) {
                    return false;
                }
            }
            case MID_CALL -> {
                if (!awaitWork(run)) {
                    return false;
                }
                int posts = sessionm.postCount() + 1 + random.nextInt(target.posts());
                if (!waitUntil(run, () -> sessionm.postCount() >= posts)) {
                    return false;
                }
            }
        }
        run.kill();
        return true;
    }

    /**
     * Waits until the run has started or resumed the sync, and remembers how long that
     * took.
     */
    private boolean awaitWork(Execution run) throws InterruptedException {
        if (!waitUntil(run, () -> Pattern.compile(STARTED_WORK).matcher(run.output()).find())) {
            return false;
        }
        startup = run.age();
        return true;
    }

    private static boolean waitUntil(Execution run, BooleanSupplier condition) throws InterruptedException {
        return waitUntil(run, condition, Duration.ofMillis(2));
    }

    /**
     * Waits for {@code condition} while the run lives, looking every {@code poll}; false
     * once the run has ended without it.
     */
    private static boolean waitUntil(Execution run, BooleanSupplier condition, Duration poll)
            throws InterruptedException {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!run.isAlive()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(run.name() + " neither got there nor ended:\n" + run.output());
            }
            Thread.sleep(poll.toMillis());
        }
        return true;
    }

    private static void awaitOrFail(Execution run, BooleanSupplier condition) throws InterruptedException {
        assertThat(waitUntil(run, condition)).as("%s ended early:%n%s", run.name(), run.output()).isTrue();
    }

    /**
     * Users of the export's sync in the ledger that match {@code condition}; 0 before the
     * sync has started.
     */
    private static long ledgerCount(StorageLocation export, String condition) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM sync_user WHERE %s AND job_instance_id IN (
                    SELECT e.job_instance_id FROM batch_job_execution e
                    JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                    WHERE p.parameter_name = 'export' AND p.parameter_value = ?)""".formatted(condition), Long.class,
                export.uri());
    }

    /** The audience's (member, tag) pairs whose row matches {@code condition}. */
    private static long memberTagCount(String audience, String condition) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM sync_audience_member_tag m JOIN sync_audience a ON a.audience_id = m.audience_id
                WHERE a.name = ? AND %s""".formatted(condition), Long.class, audience);
    }

    /** Whether a run has staged the whole export already: its staging step completed. */
    private static boolean stagingDone(StorageLocation export) {
        return jdbc.queryForObject(
                """
                        SELECT count(*) FROM batch_step_execution s
                        JOIN batch_job_execution_params p ON p.job_execution_id = s.job_execution_id
                        WHERE p.parameter_name = 'export' AND p.parameter_value = ? AND s.step_name = ? AND s.status = 'COMPLETED'""",
                Long.class, export.uri(), SyncStep.STAGE_USERS.stepName()) > 0;
    }

    /** At no moment, killed or not, has SessionM applied a tag for a customer twice. */
    private static void assertNoPostAppliedTwice() {
        assertThat(sessionm.stats().tagPosts()).filteredOn(posts -> posts.appliedPosts() > 1).isEmpty();
    }

    private static void assertNoSecretIn(String output) {
        String basic = Base64.getEncoder()
            .encodeToString((API_KEY + ":" + API_SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(output).doesNotContain(API_SECRET).doesNotContain(basic).doesNotContain(S3TestServer.SECRET_KEY);
    }

    /**
     * A count from the summary, such as
     * {@code "  rejected by SessionM   30  (user_not_found: 30)"}.
     */
    private static long summaryCount(String output, String label) {
        Matcher count = Pattern.compile("\\n  " + Pattern.quote(label) + "\\s+([\\d,]+)").matcher(output);
        assertThat(count.find()).as("summary line '%s' in%n%s", label, output).isTrue();
        return Long.parseLong(count.group(1).replace(",", ""));
    }

}
