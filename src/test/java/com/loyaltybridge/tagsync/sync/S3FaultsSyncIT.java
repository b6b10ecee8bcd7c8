package com.loyaltybridge.tagsync.sync;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.users;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.FaultInjectingProxy;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * S3 misbehaving under a sync, end to end, through a proxy in front of the S3 server:
 * throttling and dropped connections are retried, objects that vanish fail the run naming
 * them, objects that appear are left out and said to be, and an export deleted once its
 * users are staged no longer matters.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3FaultsSyncIT extends SyncTestSupport {

    private static final String BUCKET = "braze-exports";

    private FaultInjectingProxy proxy;

    @BeforeEach
    void putAProxyInFrontOfS3() throws IOException {
        proxy = new FaultInjectingProxy(s3.endpoint());
    }

    @AfterEach
    void removeTheProxy() throws IOException {
        proxy.close();
    }

    @Test
    void slowDownsAndConnectionsCutMidObjectAreRetriedAndEveryUserIsTaggedOnce(CapturedOutput output) {
        ExportFolder folder = ExportFolder.of("s3-faults");
        StorageLocation export = folder.writeTo(s3, BUCKET,
                Map.of("a.zip", zip(lines(users(1, 400))), "b.gz", gzip(lines(users(401, 800)))));
        proxy.slowDown(2);
        // Each cut lets the response headers and a few hundred bytes of a.zip through: it
        // breaks twice mid-object.
        beforeReading(folder, "a.zip", () -> proxy.cutResponses(2, 800));

        Run run = sync(export);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(proxy.slowDownsSent()).isEqualTo(2);
        assertThat(proxy.cutsMade()).isEqualTo(2);
        assertThat(output.getAll()).contains("Reading " + export.uri() + "a.zip broke at byte ",
                "resuming from there (attempt 1 of 5)", "resuming from there (attempt 2 of 5)");
        assertAppliedExactlyOnce(identifiers(1, 800), "vip");
    }

    @Test
    void anObjectDeletedBetweenListingAndReadingFailsTheRunNamingIt() {
        ExportFolder folder = ExportFolder.of("s3-faults");
        StorageLocation export = folder.writeTo(s3, BUCKET,
                Map.of("a.zip", zip(lines(users(1, 100))), "b.zip", zip(lines(users(101, 200)))));
        beforeReading(folder, "a.zip",
                () -> s3.client().deleteObject(b -> b.bucket(BUCKET).key(folder.path() + "b.zip")));

        Run run = sync(export);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.stdout()).containsPattern("failure\\s+"
                + Pattern.quote(export.uri() + "b.zip was listed but is gone: it was deleted since (404 NoSuchKey"));
        assertThat(sessionm.requests()).as("nobody is tagged from an export that cannot be read whole").isEmpty();
    }

    @Test
    void anObjectThatAppearsAfterListingIsNotPartOfTheSyncAndTheRunSaysSo(CapturedOutput output) {
        ExportFolder folder = ExportFolder.of("s3-faults");
        StorageLocation export = folder.writeTo(s3, BUCKET,
                Map.of("a.zip", zip(lines(users(1, 100))), "b.zip", zip(lines(users(101, 200)))));
        beforeReading(folder, "a.zip", () -> s3.put(BUCKET, folder.path() + "c.zip", zip(lines(users(201, 300)))));

        Run run = sync(export);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(run.stdout()).containsPattern("users\\s+200\\n");
        assertThat(output.getAll()).contains("1 objects appeared in " + export.uri()
                + " since this sync first listed it; they are not part of this sync: c.zip");
        assertAppliedExactlyOnce(identifiers(1, 200), "vip");
    }

    @Test
    void aSyncWhoseExportIsDeletedAfterStagingStillFinishes(CapturedOutput output) {
        ExportFolder folder = ExportFolder.of("s3-faults");
        StorageLocation export = folder.writeTo(s3, BUCKET, Map.of("a.zip", zip(lines(users(1, 100)))));
        Fault[] sessionmDown = new Fault[200];
        Arrays.fill(sessionmDown, Fault.status(503));
        sessionm.enqueue(sessionmDown);
        Run failed = run(Map.of("sessionm.max-retries", "0"), "sync", "--export=" + export.uri(), "--tags=vip",
                "--mode=api");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);

        // Braze deletes exports after a few hours; by the time SessionM is back, the
        // export is gone.
        s3.client().deleteObject(b -> b.bucket(BUCKET).key(folder.path() + "a.zip"));
        sessionm.clearFaults();
        Run resumed = sync(export);

        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(output.getAll()).contains("Could not list " + export.uri() + " again (no .zip or .gz objects in "
                + export.uri() + "); going on with the objects listed when this sync first started");
        assertAppliedExactlyOnce(identifiers(1, 100), "vip");
    }

    /**
     * Runs {@code action} once, as the sync starts reading {@code object}: after the
     * export was listed.
     */
    private void beforeReading(ExportFolder folder, String object, Runnable action) {
        proxy.beforeRequest(line -> line.startsWith("GET /" + BUCKET + "/" + folder.path() + object), action);
    }

    private Run sync(StorageLocation export) {
        return run(Map.of("s3.endpoint", proxy.endpoint().toString()), "sync", "--export=" + export.uri(), "--tags=vip",
                "--mode=api");
    }

    private static List<String> identifiers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "C-" + i).toList();
    }

}
