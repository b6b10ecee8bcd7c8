package com.loyaltybridge.tagsync.wallet;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ChaosSeed;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.PackagedSync;
import com.loyaltybridge.tagsync.support.PackagedSync.Execution;
import com.loyaltybridge.tagsync.support.WalletTestSupport;

/**
 * The packaged application's {@code offers} run, SIGKILLed at random moments (while it
 * stages the export, as it starts, while it reads wallets, while Braze holds a request
 * unanswered) and run again until it completes. Afterwards every member's attributes in
 * Braze are its wallet, and the only members Braze got twice are members whose request
 * was under way at a kill (left {@code SENDING}), each counted as written again.
 * <p>
 * Seeded like {@code KillAndResumeIT}: {@code -Dchaos.seed=N} replays a run's kinds and
 * moments of the kills.
 */
class OfferWalletKillAndResumeIT extends WalletTestSupport {

    private static final int KILLS = Integer.getInteger("chaos.kills", 10);

    private static final int MEMBERS = Integer.getInteger("chaos.users", 2_000);

    private static final int UNKNOWN_EVERY = 100;

    private static final int STAGING_CHUNK = 250;

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private static final Duration DATABASE_POLL = Duration.ofMillis(25);

    /**
     * When a kill lands: the first two rounds while the export is staged, the others in a
     * seeded shuffle of the rest.
     */
    private enum Moment {

        STAGING, STARTING, WORKING, MID_REQUEST

    }

    private Duration startup = Duration.ofSeconds(2);

    @Test
    void everyMembersAttributesAreItsWalletAndOnlyRequestsUnderWayAtAKillWereWrittenTwice() throws Exception {
        long seed = ChaosSeed.forTest("OfferWalletKillAndResumeIT");
        Random random = new Random(seed);
        Map<String, Wallet> wallets = new HashMap<>();
        for (int i = 1; i <= MEMBERS; i++) {
            if (i % UNKNOWN_EVERY == 0) {
                sessionm.offers().unknownUsers("U-" + i);
            }
            else {
                wallets.put("U-" + i, i % 7 == 0 ? Wallet.of(0, i) : Wallet.of(i, 2 * i,
                        OfferWallets.offer("o-" + i, "Offer " + i, "2027-0" + (1 + i % 9) + "-01T00:00:00Z"),
                        OfferWallets.offer("p-" + i, "Second " + i, "2027-10-" + (10 + i % 20) + "T00:00:00Z")));
            }
        }
        wallets.forEach(sessionm.offers()::put);
        int third = MEMBERS / 3;
        StorageLocation export = ExportFolder.of("wallet-chaos")
            .writeTo(s3, "braze-exports", Map.of("a.zip", zip(lines(members(1, third))), "b.gz",
                    gzip(lines(members(third + 1, 2 * third))), "c.zip", zip(lines(members(2 * third + 1, MEMBERS)))));
        sessionm.latency(Duration.ofMillis(20));
        braze.latency(Duration.ofMillis(40));
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.putAll(walletProperties());
        properties.putAll(Map.of("sessionm.connect.max-in-flight", "8", "sessionm.connect.requests-per-second", "250",
                "braze.rest.max-in-flight", "2", "offers.chunk-size", "300", "sync.staging-chunk-size",
                Integer.toString(STAGING_CHUNK)));
        PackagedSync run = new PackagedSync(List.of(),
                List.of("offers", "--export=" + export.uri(), "--identifier=" + IDENTIFIER), properties,
                Path.of("target", "chaos", "offers-kill-loop"));

        List<Moment> moments = schedule(random);
        Set<String> sendingAtAKill = new HashSet<>();
        for (int kill = 0; kill < KILLS; kill++) {
            Moment moment = moments.get(kill);
            if (moment == Moment.STAGING && (stagingDone(export) || staged(export) >= MEMBERS - STAGING_CHUNK)) {
                // A loaded machine can stage (almost) everything within the first round's
                // kill: its moment is gone.
                moment = Moment.WORKING;
            }
            Execution execution = run.start("round-" + (kill + 1));
            assertThat(strike(execution, moment, random, export))
                .as("round %d ended by itself before its %s kill (seed %d): give the run more work%n%s", kill + 1,
                        moment, seed, execution.output())
                .isTrue();
            List<String> sending = ledger(export, "state = 'SENDING'");
            sendingAtAKill.addAll(sending);
            System.out.printf(
                    "round %d: killed %s after %d ms; %d members staged, %d Braze requests, %d members SENDING%n",
                    kill + 1, moment, execution.age().toMillis(), staged(export), braze.requests().size(),
                    sending.size());
        }
        sessionm.latency(Duration.ZERO);
        braze.latency(Duration.ZERO);
        Execution last = run.start("final");
        int exitCode = last.awaitExit(RUN_TIMEOUT);

        String summary = last.output();
        assertThat(exitCode).as(summary).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION.code());
        for (int i = 1; i <= MEMBERS; i++) {
            Wallet wallet = wallets.get("U-" + i);
            assertThat(profileOf("E-" + i)).as("the attributes of E-%d", i)
                .isEqualTo(wallet == null ? Map.of() : expectedAttributes(wallet));
        }
        Set<String> writtenTwice = objectsPerMember().entrySet()
            .stream()
            .filter(entry -> entry.getValue() > 1)
            .map(entry -> "U-" + entry.getKey().substring(2))
            .collect(Collectors.toSet());
        assertThat(sendingAtAKill).as("members SENDING after some kill (seed %d)", seed).containsAll(writtenTwice);
        List<String> recordedAgain = ledger(export, "written_again");
        assertThat(recordedAgain).as("written again, as recorded").containsAll(writtenTwice);
        assertThat(sendingAtAKill).containsAll(recordedAgain);
        assertThat(summaryCount(summary, "written again")).isEqualTo(recordedAgain.size());
        assertThat(summaryCount(summary, "written")).isEqualTo(wallets.size());
        assertThat(summaryCount(summary, "rejected by SessionM")).isEqualTo(MEMBERS / UNKNOWN_EVERY);
        assertThat(run.allOutput()).as("a resumed run recovers the execution a killed one left running")
            .contains("by a process that is gone; marking it failed and resuming")
            .doesNotContain(BRAZE_KEY)
            .doesNotContain(OfferWallets.DEFAULT_AUTHORIZATION);
        System.out.printf("%d members written twice, all SENDING at a kill; %d SENDING at some kill%n",
                writtenTwice.size(), sendingAtAKill.size());
    }

    /**
     * Staging twice first; of the others, a fifth at the start, the rest shared between
     * working and mid-request.
     */
    private static List<Moment> schedule(Random random) {
        List<Moment> later = new ArrayList<>();
        for (int kill = 2; kill < KILLS; kill++) {
            later.add(kill % 5 == 0 ? Moment.STARTING : kill % 2 == 0 ? Moment.WORKING : Moment.MID_REQUEST);
        }
        Collections.shuffle(later, random);
        List<Moment> moments = new ArrayList<>(List.of(Moment.STAGING, Moment.STAGING));
        moments.addAll(later);
        return moments.subList(0, KILLS);
    }

    private boolean strike(Execution run, Moment moment, Random random, StorageLocation export)
            throws InterruptedException {
        switch (moment) {
            case STAGING -> {
                long staged = staged(export);
                long target = staged + 1 + random.nextLong(Math.max(1, MEMBERS - STAGING_CHUNK - staged));
                if (!waitUntil(run, () -> staged(export) >= target, DATABASE_POLL)) {
                    return false;
                }
            }
            case STARTING -> {
                long at = random.nextLong(startup.toMillis() + 1);
                if (!waitUntil(run, () -> run.age().toMillis() >= at, Duration.ofMillis(2))) {
                    return false;
                }
            }
            case WORKING -> {
                if (!awaitWork(run)) {
                    return false;
                }
                long at = run.age().toMillis() + random.nextLong(2_000);
                if (!waitUntil(run, () -> run.age().toMillis() >= at, Duration.ofMillis(2))) {
                    return false;
                }
            }
            case MID_REQUEST -> {
                if (!awaitWork(run)) {
                    return false;
                }
                int requests = braze.requests().size() + 1 + random.nextInt(4);
                if (!waitUntil(run, () -> braze.requests().size() >= requests, Duration.ofMillis(2))) {
                    return false;
                }
            }
        }
        run.kill();
        return true;
    }

    private boolean awaitWork(Execution run) throws InterruptedException {
        if (!waitUntil(run, () -> run.output().contains("Starting sync ") || run.output().contains("Resuming sync "),
                Duration.ofMillis(2))) {
            return false;
        }
        startup = run.age();
        return true;
    }

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

    /**
     * The identifiers of the run's members that match {@code condition}; none before the
     * run has started.
     */
    private static List<String> ledger(StorageLocation export, String condition) {
        return jdbc.queryForList("""
                SELECT identifier FROM sync_user WHERE %s AND job_instance_id IN (
                    SELECT e.job_instance_id FROM batch_job_execution e
                    JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                    WHERE p.parameter_name = 'export' AND p.parameter_value = ?)""".formatted(condition), String.class,
                export.uri());
    }

    /** Members of the run staged so far; 0 before the run has started. */
    private static long staged(StorageLocation export) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM sync_user WHERE job_instance_id IN (
                    SELECT e.job_instance_id FROM batch_job_execution e
                    JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                    WHERE p.parameter_name = 'export' AND p.parameter_value = ?)""", Long.class, export.uri());
    }

    private static boolean stagingDone(StorageLocation export) {
        return jdbc.queryForObject(
                """
                        SELECT count(*) FROM batch_step_execution s
                        JOIN batch_job_execution_params p ON p.job_execution_id = s.job_execution_id
                        WHERE p.parameter_name = 'export' AND p.parameter_value = ? AND s.step_name = ? AND s.status = 'COMPLETED'""",
                Long.class, export.uri(), WalletStep.STAGE_MEMBERS.stepName()) > 0;
    }

}
