package com.loyaltybridge.tagsync.scan;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

/**
 * A bucket of daily exports of one segment, as Braze leaves them: the scan syncs the
 * newest complete export of the segment's audience only, reports every older one it never
 * synced as superseded and sends none of them; the next day's export then sends only what
 * changed. {@code scan --dry-run} prints the plan of what the scan would sync, and the
 * scan that follows sends exactly that.
 */
class ScanOfDailyExportsIT extends SyncTestSupport {

    private static final long DAY = 86_400L;

    private static final long FIRST_DAY = 1_764_000_000L;

    /** Members of each day's export; 2% of them leave the next day and as many enter. */
    private static final int MEMBERS = 500;

    private static final int CHURN = MEMBERS / 50;

    @Test
    void thirtyDailyExportsSyncTheNewestOnlyAndTheThirtyFirstSendsOnlyTheMembersEntering() {
        Segment segment = new Segment("scan-daily");
        List<StorageLocation> days = new ArrayList<>();
        for (int day = 1; day <= 30; day++) {
            days.add(segment.export(day));
        }

        Run scan = run(segment.settings(), "scan");

        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
        for (int day = 1; day <= 29; day++) {
            assertThat(scan.stdout()).as("day %d", day)
                .containsOnlyOnce(days.get(day - 1).uri() + ": superseded by the newer export");
        }
        assertThat(scan.stdout()).contains(days.get(29).uri() + ": completed (execution")
            .contains("scan: 1 synced now, 0 synced before, 29 not synced now (29 superseded)");
        assertThat(postsPerCustomer()).as("day 30's members, one POST each: the audience's first sync")
            .isEqualTo(onePostEach(segment.members(30)));
        assertThat(syncsOf(segment)).as("no sync of days 1 to 29 was ever started").isEqualTo(1);

        StorageLocation day31 = segment.export(31);
        sessionm.reset();
        Run next = run(segment.settings(), "scan");

        assertThat(next.exitCode()).as(next.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(next.stdout()).contains(day31.uri() + ": completed (execution")
            .contains("scan: 1 synced now, 1 synced before, 29 not synced now (29 superseded)");
        assertThat(postsPerCustomer()).as("only the %d members entering on day 31", CHURN)
            .isEqualTo(onePostEach(segment.entering(31)));
        assertThat(jdbc.queryForList("SELECT identifier FROM sync_left_user WHERE job_instance_id = ?", String.class,
                jobInstanceOf(day31)))
            .as("the members who left on day 31")
            .containsExactlyInAnyOrderElementsOf(segment.leaving(31));
    }

    @Test
    void aScanDryRunSendsNothingAndTheScanThatFollowsSendsExactlyWhatItListed() {
        Segment segment = new Segment("scan-dry");
        segment.export(1);
        assertThat(run(segment.settings(), "scan").exitCode()).isEqualTo(ExitCode.COMPLETED);
        segment.export(2);
        // SessionM refuses one member entering on day 2: day 3 retries it.
        String refused = segment.entering(2).get(3);
        sessionm.faultFor(refused, Fault.status(404));
        Run day2 = run(segment.settings(), "scan");
        assertThat(day2.exitCode()).as(day2.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        StorageLocation day3 = segment.export(3);
        sessionm.reset();

        Run dry = run(segment.settings(), "scan", "--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(dry.stdout()).contains(day3.uri() + ": planned (dry run, execution")
            .contains("Dry run COMPLETED")
            .containsPattern("entering\\s+" + CHURN + "\\b")
            .containsPattern("retried\\s+1\\b")
            .containsPattern("unchanged\\s+" + (MEMBERS - CHURN - 1) + "\\b")
            .containsPattern("left\\s+" + CHURN + "\\b")
            .containsPattern("would call SessionM\\s+" + (CHURN + 1) + " times")
            .contains("scan: 1 planned (dry run), 0 synced now, 2 synced before, 0 not synced now");
        assertThat(sessionm.requests()).as("a dry run calls no one").isEmpty();
        Set<String> listed = new TreeSet<>(listedIdentifiers(dry.stdout(), "entering"));
        listed.addAll(listedIdentifiers(dry.stdout(), "retried"));
        assertThat(listed).as("the dry run lists the members entering on day 3 and the one refused on day 2")
            .containsExactlyInAnyOrderElementsOf(concat(segment.entering(3), List.of(refused)));

        Run real = run(segment.settings(), "scan");

        assertThat(real.exitCode()).as(real.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(real.stdout()).contains(day3.uri() + ": completed (execution");
        assertThat(postsPerCustomer()).as("exactly what the dry run listed, one POST each")
            .isEqualTo(onePostEach(listed));
    }

    @Test
    void anOlderExportWhoseSyncFailedIsNotResumedOnceANewerOneIsComplete() {
        Segment segment = new Segment("scan-failed-older");
        StorageLocation day1 = segment.export(1);
        Map<String, String> settings = new LinkedHashMap<>(segment.settings());
        settings.put("sessionm.max-retries", "0");
        Fault[] down = new Fault[MEMBERS];
        Arrays.fill(down, Fault.status(503));
        sessionm.enqueue(down);
        Run failed = run(settings, "scan");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        sessionm.reset();
        StorageLocation day2 = segment.export(2);

        Run scan = run(settings, "scan");

        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(scan.stdout())
            .containsPattern(Pattern.quote(day1.uri() + ": superseded by the newer export ") + ".*"
                    + Pattern.quote(": its sync ended FAILED (execution ") + "\\d+\\) and is not resumed")
            .contains(day2.uri() + ": completed (execution");
        assertThat(executionsOf(day1)).as("day 1's failed sync is not resumed").isEqualTo(1);
        assertThat(postsPerCustomer().keySet()).as("day 2's members; none of day 1's who left")
            .containsExactlyInAnyOrderElementsOf(segment.members(2));
    }

    @Test
    void aMappingMarkedFullSendsEveryMemberOfItsNextSyncEvenOfAnExportSyncedBefore() {
        Segment segment = new Segment("scan-full");
        StorageLocation day1 = segment.export(1);
        assertThat(run(segment.settings(), "scan").exitCode()).isEqualTo(ExitCode.COMPLETED);
        sessionm.reset();
        Map<String, String> full = new LinkedHashMap<>(segment.settings());
        full.put("scan.segments[0].full", "true");

        Run scan = run(full, "scan");
        Run again = run(full, "scan");

        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(scan.stdout()).contains(day1.uri() + ": completed (execution");
        assertThat(postsPerCustomer()).as("every member, once more").isEqualTo(onePostEach(segment.members(1)));
        assertThat(again.stdout()).contains("scan: 0 synced now, 1 synced before");
        assertThat(sessionm.postCount()).as("a full sync of an export runs once").isEqualTo(MEMBERS);
    }

    /** One segment of the test, exported day after day into a bucket of its own. */
    private static final class Segment {

        private final String id;

        private final String bucket;

        Segment(String name) {
            this.id = name + "-" + UUID.randomUUID();
            this.bucket = name;
        }

        /**
         * The export of {@code day}: members {@code CHURN * day + 1} to
         * {@code CHURN * day + MEMBERS}, so that each day the {@code CHURN} lowest leave
         * and as many enter.
         */
        StorageLocation export(int day) {
            ExportFolder folder = new ExportFolder(id, LocalDate.of(2026, 10, 1).plusDays(day), UUID.randomUUID(),
                    FIRST_DAY + day * DAY);
            return folder.writeTo(s3, bucket, Map.of("part.zip",
                    zip(lines(members(day).stream().map(member -> user(member)).toArray(String[]::new)))));
        }

        List<String> members(int day) {
            return ids(CHURN * day + 1, CHURN * day + MEMBERS);
        }

        List<String> entering(int day) {
            return ids(CHURN * (day - 1) + MEMBERS + 1, CHURN * day + MEMBERS);
        }

        List<String> leaving(int day) {
            return ids(CHURN * (day - 1) + 1, CHURN * day);
        }

        Map<String, String> settings() {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("scan.export-roots", "s3://" + bucket + "/");
            settings.put("scan.settle-time", "0s");
            settings.put("scan.segments[0].segment-id", id);
            settings.put("scan.segments[0].tags", "vip");
            settings.put("scan.segments[0].mode", "api");
            settings.put("sessionm.request-timeout", "10s");
            return settings;
        }

        private List<String> ids(int from, int to) {
            return IntStream.rangeClosed(from, to).mapToObj(i -> id.substring(0, 4) + "-" + i).toList();
        }

    }

    /**
     * The identifiers a dry run's summary lists on the line of {@code group}:
     * {@code entering  10  (A, B, ...)}.
     */
    private static List<String> listedIdentifiers(String summary, String group) {
        Matcher line = Pattern.compile("(?m)^\\s+" + group + "\\s+[\\d,]+\\s+\\((.*)\\)$").matcher(summary);
        assertThat(line.find()).as("a line %s listing identifiers in %s", group, summary).isTrue();
        assertThat(line.group(1)).as("all of them are listed").doesNotEndWith("...");
        return List.of(line.group(1).split(", "));
    }

    private static long syncsOf(Segment segment) {
        return jdbc.queryForObject("""
                SELECT count(DISTINCT e.job_instance_id) FROM batch_job_execution e
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'export' AND position(? IN p.parameter_value) > 0""", Long.class,
                "/segment-export/" + segment.id + "/");
    }

    private static int executionsOf(StorageLocation export) {
        return jdbc.queryForObject("SELECT count(*) FROM batch_job_execution WHERE job_instance_id = ?", Integer.class,
                jobInstanceOf(export));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

}
