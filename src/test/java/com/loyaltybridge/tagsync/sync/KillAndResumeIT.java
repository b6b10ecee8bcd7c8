package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * The packaged application, run as a user runs it ({@code java -jar}), killed with SIGKILL in the
 * middle of a chunk while calls are under way, then run again: every user ends with exactly one
 * applied POST per tag, and nobody is sent twice.
 */
class KillAndResumeIT extends SyncTestSupport {

    private static final int USERS = 600;
    private static final Path JAR = Path.of("target", "segment-tag-sync.jar");

    @Test
    void aSyncKilledMidChunkResumesAndTagsEveryUserExactlyOnce() throws Exception {
        StorageLocation export = ExportFolder.of("kill").writeTo(s3, "braze-exports", Map.of(
                "a.zip", zip(lines(ApiSyncTest.users(1, 300))),
                "b.zip", zip(lines(ApiSyncTest.users(301, USERS)))));
        sessionm.latency(Duration.ofMillis(25));
        List<String> command = command(export);

        Process first = start(command, "first");
        awaitPosts(first, 250);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int postsAtKill = sessionm.postCount();
        assertThat(postsAtKill).as("killed mid-run").isLessThan(USERS);
        assertThat(jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE job_instance_id = ? ORDER BY job_execution_id DESC LIMIT 1",
                String.class, jobInstanceOf(export))).as("the killed execution is left running").isEqualTo("STARTED");

        Process second = start(command, "second");
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the resumed run ends").isTrue();

        assertThat(second.exitValue()).as(output("second"))
                .isIn(ExitCode.COMPLETED.code(), ExitCode.COMPLETED_NEEDS_ATTENTION.code());
        for (int i = 1; i <= USERS; i++) {
            String id = "C-" + i;
            assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, id)).as(id).isEqualTo(Map.of("vip", 1));
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, id)).as("POSTs for %s", id).hasSize(1);
        }
        Map<String, Long> states = ledgerStates(export);
        assertThat(states.keySet()).isSubsetOf("TAGGED", "IN_DOUBT");
        assertThat(states.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(USERS);
        assertThat(output("second")).contains("was left STARTED by a process that is gone");
    }

    private List<String> command(StorageLocation export) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-jar", JAR.toString(),
                "sync", "--export=" + export.uri(), "--tags=vip", "--mode=api"));
        Map<String, String> properties = new java.util.LinkedHashMap<>(serviceProperties());
        properties.put("sync.tagging-chunk-size", "100");
        properties.put("sync.intent-batch-size", "8");
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        return command;
    }

    private static Process start(List<String> command, String name) throws IOException {
        File log = logFile(name);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void awaitPosts(Process process, int posts) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sessionm.postCount() < posts) {
            assertThat(process.isAlive()).as("the first run is still running: " + output("first")).isTrue();
            assertThat(System.nanoTime()).as("waited for %d POSTs", posts).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static File logFile(String name) {
        return Path.of("target", "kill-and-resume-" + name + ".log").toFile();
    }

    private static String output(String name) {
        try {
            return Files.readString(logFile(name).toPath());
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
