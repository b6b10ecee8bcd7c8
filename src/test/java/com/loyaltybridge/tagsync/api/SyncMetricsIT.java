package com.loyaltybridge.tagsync.api;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.api.ApiServer.Answer;
import com.loyaltybridge.tagsync.api.ApiServer.Caller;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.FaultInjectingProxy;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

import tools.jackson.databind.JsonNode;

/**
 * The users of each sync as {@code /actuator/prometheus} counts them
 * ({@code tagsync_users_total}): by what the plan does with them, once per sync; each
 * user read once, also when an execution fails before the duplicates of the export are
 * removed; a dry run counts nothing. S3 is reached through a proxy that can delete an
 * object between the listing and the reading of an export.
 */
class SyncMetricsIT extends SyncTestSupport {

    private static final String BUCKET = "metrics-exports";

    private static final long DAY = 86_400L;

    private static FaultInjectingProxy proxy;

    private static ApiServer server;

    @BeforeAll
    static void startServer() throws IOException {
        proxy = new FaultInjectingProxy(s3.endpoint());
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.put("s3.endpoint", proxy.endpoint().toString());
        properties.put("scan.export-roots", "s3://" + BUCKET + "/");
        properties.put("sessionm.request-timeout", "10s");
        // A chunk of the export's lines is committed before the next object is read.
        properties.put("sync.staging-chunk-size", "5");
        server = ApiServer.start(properties);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
        proxy.close();
    }

    @Test
    void eachSyncCountsItsUsersByWhatThePlanDoesWithThemAndADryRunCountsNothing() {
        String segment = "metrics-plan";
        StorageLocation day1 = export(segment, 1, Map.of("part.zip", users(ids(1, 100))));
        server.awaitStatus(launched(launch(day1, false)), "COMPLETED");
        StorageLocation day2 = export(segment, 2, Map.of("part.zip", users(ids(6, 105))));

        server.awaitStatus(launched(launch(day2, true)), "COMPLETED");

        String afterDryRun = metrics();
        assertThat(users(afterDryRun, segment, "read")).as("a dry run reads nothing a real run counts").isEqualTo(100);
        assertThat(users(afterDryRun, segment, "entering")).as("the first sync: every member is entering")
            .isEqualTo(100);
        assertThat(users(afterDryRun, segment, "unchanged")).isZero();
        assertThat(users(afterDryRun, segment, "left")).isZero();

        server.awaitStatus(launched(launch(day2, false)), "COMPLETED");

        String afterDay2 = metrics();
        assertThat(users(afterDay2, segment, "read")).isEqualTo(200);
        assertThat(users(afterDay2, segment, "entering")).isEqualTo(105);
        assertThat(users(afterDay2, segment, "unchanged")).isEqualTo(95);
        assertThat(users(afterDay2, segment, "left")).isEqualTo(5);
        assertThat(users(afterDay2, segment, "refreshed")).isZero();
        assertThat(users(afterDay2, segment, "retried")).isZero();
        assertThat(users(afterDay2, segment, "full")).isZero();
        assertThat(users(afterDay2, segment, "tagged")).isEqualTo(105);
    }

    @Test
    void aSyncThatFailsBeforeItsDuplicatesAreRemovedCountsEachUserReadOnce() {
        String segment = "metrics-read";
        List<String> twice = new ArrayList<>(ids(1, 10));
        twice.addAll(ids(1, 10));
        byte[] second = users(ids(1, 5));
        ExportFolder folder = new ExportFolder(segment, LocalDate.of(2026, 11, 1), UUID.randomUUID(), 1_764_000_000L);
        StorageLocation export = folder.writeTo(s3, BUCKET, Map.of("a.zip", users(twice), "b.zip", second));
        // Listed, then gone once a.zip is read: the sync fails while staging, with
        // a.zip's lines staged.
        proxy.beforeRequest(line -> line.startsWith("GET /" + BUCKET + "/" + folder.path() + "a.zip"),
                () -> s3.client().deleteObject(b -> b.bucket(BUCKET).key(folder.path() + "b.zip")));

        long first = launched(launch(export, false));

        JsonNode failed = server.awaitStatus(first, "FAILED");
        assertThat(failed.path("exitDescription").asString()).contains("b.zip was listed but is gone");
        assertThat(failed.path("counts").path("users").asLong()).as("a.zip's lines, each user twice, staged: " + failed)
            .isEqualTo(20);
        assertThat(users(metrics(), segment, "read")).as("no user is counted before the duplicates are removed")
            .isZero();

        s3.put(BUCKET, folder.path() + "b.zip", second);
        JsonNode completed = server.awaitStatus(launched(restartOnceReleased(first)), "COMPLETED");

        assertThat(completed.path("counts").path("users").asLong()).isEqualTo(10);
        assertThat(users(metrics(), segment, "read")).as("each of the 10 users once").isEqualTo(10);
        assertThat(users(metrics(), segment, "entering")).isEqualTo(10);
    }

    /**
     * Launches the sync of {@code export}, or its dry run, once a sync of its audience
     * that just ended has let it go.
     */
    private static Answer launch(StorageLocation export, boolean dryRun) {
        return server.postOnceReleased(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + export.uri()
                + "\",\"tags\":[\"vip\"],\"mode\":\"api\"" + (dryRun ? ",\"dryRun\":true" : "") + "}");
    }

    /**
     * The failed run's thread holds the audience's lock until it has written its summary:
     * 409 until then.
     */
    private static Answer restartOnceReleased(long id) {
        return server.postOnceReleased(Caller.OPERATOR, "/api/executions/" + id + "/restart", null);
    }

    private static long launched(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer.json().path("executionId").asLong();
    }

    private static String metrics() {
        Answer metrics = server.get(Caller.VIEWER, "/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body();
    }

    /**
     * {@code tagsync_users_total} of {@code segment} and {@code outcome}; 0 when it was
     * never counted.
     */
    private static double users(String exposition, String segment, String outcome) {
        Matcher line = Pattern.compile("(?m)^tagsync_users_total\\{([^}]*)} (\\S+)$").matcher(exposition);
        while (line.find()) {
            if (Arrays.asList(line.group(1).split(","))
                .containsAll(List.of("outcome=\"" + outcome + "\"", "segment=\"" + segment + "\""))) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }

    private static StorageLocation export(String segment, int day, Map<String, byte[]> objects) {
        return new ExportFolder(segment, LocalDate.of(2026, 11, day), UUID.randomUUID(), 1_764_000_000L + day * DAY)
            .writeTo(s3, BUCKET, objects);
    }

    private static byte[] users(List<String> identifiers) {
        return zip(lines(identifiers.stream().map(id -> user(id)).toArray(String[]::new)));
    }

    private static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "M-" + i).toList();
    }

}
