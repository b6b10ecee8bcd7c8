package com.loyaltybridge.tagsync.wallet;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzip;
import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.loyaltybridge.tagsync.brazeapi.simulator.BrazeFault;
import com.loyaltybridge.tagsync.brazeapi.simulator.TrackRequest;
import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.sessionm.simulator.OffersRequest;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.WalletTestSupport;

/**
 * A segment's offer wallets reach its members' Braze profiles as custom attributes,
 * export after export only what changed: the command line against PostgreSQL, the S3
 * server, SessionM Connect's {@code get_user_offers} and Braze's {@code /users/track} as
 * the simulators serve them.
 */
class OfferWalletSyncIT extends WalletTestSupport {

    private static final String SEGMENT = "wallet-segment";

    private static final int MEMBERS = 160;

    @Test
    void everyWalletReachesBrazeInBatchesOfAtMost75AndTheNextExportWritesOnlyWhatChanged() {
        Map<String, Wallet> wallets = new HashMap<>();
        wallets.put("U-1", Wallet.of(0, 0));
        wallets.put("U-2", Wallet.of(150, 900, OfferWallets.offer("one", "The one offer", "2027-03-01T00:00:00Z")));
        wallets.put("U-3",
                new Wallet(IntStream.rangeClosed(1, 120)
                    .mapToObj(i -> (JsonNode) OfferWallets.offer("o-" + i, "Offer " + i,
                            LocalDate.of(2027, 1, 1).plusDays(121 - i) + "T00:00:00Z"))
                    .toList(), null, null));
        for (int i = 4; i <= MEMBERS; i++) {
            wallets.put("U-" + i,
                    Wallet.of(i, 10 * i, OfferWallets.offer("w-" + i, "Welcome " + i, "2027-06-01T00:00:00Z")));
        }
        wallets.forEach(sessionm.offers()::put);
        sessionm.offers().unknownUsers("U-404");
        List<String> segment = new ArrayList<>(List.of(members(1, MEMBERS)));
        segment.add(member("E-404", "U-404"));
        ExportFolder day1 = ExportFolder.of(SEGMENT);
        StorageLocation first = writeExport(day1, segment);

        Run run = offers("--export=" + first.uri(), "--identifier=" + IDENTIFIER, "--sessionm.connect.page-size=50");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        for (int i = 1; i <= MEMBERS; i++) {
            assertThat(profileOf("E-" + i)).as("the profile of E-%d", i)
                .isEqualTo(expectedAttributes(wallets.get("U-" + i)));
        }
        assertThat(profileOf("E-404")).as("a member SessionM does not know").isEmpty();
        assertThat(braze.requests()).extracting(TrackRequest::attributeObjects)
            .as("one request per 75 changed wallets")
            .allMatch(objects -> objects <= 75)
            .hasSize(3);
        assertThat(objectsPerMember()).as("one attribute object per member")
            .hasSize(MEMBERS)
            .allSatisfy((member, objects) -> assertThat(objects).isEqualTo(1));
        assertThat(braze.attributeObjectsFor("external_id", "E-3")
            .get(0)
            .path("sessionm_offers")
            .path(0)
            .path("offer_id")
            .asString()).as("the soonest to expire first").isEqualTo("o-120");
        assertThat(sessionm.offers().requestsFor("U-3")).extracting(OffersRequest::skip, OffersRequest::take)
            .as("120 offers read 50 at a time")
            .containsExactly(tuple(0, 50), tuple(50, 50), tuple(100, 50));
        assertThat(sessionm.offers().requestsFor("U-2")).extracting(OffersRequest::culture).containsExactly("en");
        assertThat(summaryCount(run.stdout(), "members")).isEqualTo(MEMBERS + 1);
        assertThat(summaryCount(run.stdout(), "written")).isEqualTo(MEMBERS);
        assertThat(run.stdout()).contains("written                " + MEMBERS + " in 3 Braze requests")
            .contains("rejected by SessionM   1  (user_not_found: 1)");
        assertThat(jdbc.queryForObject(
                "SELECT sessionm_code FROM sync_user WHERE job_instance_id = ? AND identifier = 'U-404'", String.class,
                offersRunOf(first)))
            .isEqualTo("user_not_found");

        // The next day: five wallets changed, one member left, one entered.
        int objectsBefore = braze.attributeObjects().size();
        int requestsBefore = braze.requests().size();
        for (int i : new int[] { 2, 10, 20, 30, 40 }) {
            wallets.put("U-" + i,
                    Wallet.of(i + 1, 10 * i, OfferWallets.offer("new-" + i, "New " + i, "2027-02-01T00:00:00Z")));
        }
        wallets.put("U-500", Wallet.of(5, 5));
        wallets.forEach(sessionm.offers()::put);
        List<String> nextDay = new ArrayList<>(List.of(members(1, MEMBERS - 1)));
        nextDay.add(member("E-500", "U-500"));
        StorageLocation second = writeExport(day1.nextDay(), nextDay);

        Run next = offers("--export=" + second.uri(), "--identifier=" + IDENTIFIER);

        assertThat(next.exitCode()).as(next.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(objectsPerMemberSince(objectsBefore)).as("attribute objects Braze received, by member")
            .isEqualTo(Map.of("E-2", 1, "E-10", 1, "E-20", 1, "E-30", 1, "E-40", 1, "E-500", 1, "E-" + MEMBERS, 1));
        for (int i : new int[] { 2, 10, 20, 30, 40, 500 }) {
            assertThat(profileOf("E-" + i)).isEqualTo(expectedAttributes(wallets.get("U-" + i)));
        }
        assertThat(braze.requests()).hasSize(requestsBefore + 2);
        assertThat(braze.attributeObjectsFor("external_id", "E-" + MEMBERS).get(1).properties())
            .as("the leaver's wallet attributes cleared: each set to null")
            .extracting(Map.Entry::getKey, entry -> entry.getValue().isNull())
            .contains(tuple("sessionm_offers", true), tuple("sessionm_available_points", true),
                    tuple("sessionm_total_points", true), tuple("sessionm_wallet_synced_at", true));
        assertThat(profileOf("E-" + MEMBERS)).as("the leaver's profile").isEmpty();
        assertThat(summaryCount(next.stdout(), "unchanged")).isEqualTo(MEMBERS - 1 - 5);
        assertThat(next.stdout()).contains("written                6 in 1 Braze requests")
            .contains("left the segment       1: cleared 1 in 1 Braze requests");

        // The day after: nothing changed, and the leaver is not cleared again.
        int requestsThen = braze.requests().size();
        StorageLocation third = writeExport(day1.nextDay().nextDay(), nextDay);

        Run quiet = offers("--export=" + third.uri(), "--identifier=" + IDENTIFIER);

        assertThat(quiet.exitCode()).as(quiet.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(braze.requests()).as("no Braze data point when nothing changed").hasSize(requestsThen);
        assertThat(summaryCount(quiet.stdout(), "unchanged")).isEqualTo(MEMBERS);
    }

    @Test
    void aDryRunSaysWhatWouldChangeWritesNothingAndTheRunAfterWritesExactlyThat() {
        for (int i = 1; i <= 10; i++) {
            sessionm.offers().put("U-" + i, Wallet.of(i, i));
        }
        ExportFolder day1 = ExportFolder.of("dry-run-segment");
        assertThat(offers("--export=" + writeExport(day1, List.of(members(1, 10))).uri(), "--identifier=" + IDENTIFIER)
            .exitCode()).isEqualTo(ExitCode.COMPLETED);
        int objectsBefore = braze.attributeObjects().size();
        sessionm.offers().put("U-3", Wallet.of(33, 3));
        sessionm.offers().put("U-7", Wallet.of(77, 7));
        StorageLocation next = writeExport(day1.nextDay(), List.of(members(2, 10)));

        Run dryRun = offers("--export=" + next.uri(), "--identifier=" + IDENTIFIER, "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(braze.attributeObjects()).as("a dry run writes nothing").hasSize(objectsBefore);
        assertThat(dryRun.stdout()).startsWith("Dry run of offer wallets COMPLETED")
            .contains("changed                2  (U-3, U-7)")
            .contains("would write            2 wallets in 1 Braze requests")
            .contains("left the segment       1  (U-1)  (a run would clear them in 1 Braze requests)");

        Run real = offers("--export=" + next.uri(), "--identifier=" + IDENTIFIER);

        assertThat(real.exitCode()).as(real.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(objectsPerMemberSince(objectsBefore)).isEqualTo(Map.of("E-3", 1, "E-7", 1, "E-1", 1));
    }

    @Test
    void anAnonymousMemberIsWrittenByItsBrazeIdAndALanguageChoosesTheCulture() {
        sessionm.offers().put("U-anon", Wallet.of(7, 7));
        sessionm.offers().put("U-fr", Wallet.of(8, 8));
        String french = "{\"external_id\":\"E-fr\",\"language\":\"fr\",\"custom_attributes\":{\"sm_user_id\":\"U-fr\"}}";
        StorageLocation export = writeExport(ExportFolder.of("anonymous-segment"), List
            .of(anonymousMember("b-anon", "U-anon"), french, "{\"custom_attributes\":{\"sm_user_id\":\"U-nobody\"}}"));

        Run run = offers(Map.of("offers.cultures.fr", "fr-CA"), "--export=" + export.uri(),
                "--identifier=" + IDENTIFIER, "--culture=de-DE");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED_NEEDS_ATTENTION);
        assertThat(braze.profile("braze_id", "b-anon")).containsKey("sessionm_offers");
        assertThat(sessionm.offers().requestsFor("U-anon")).extracting(OffersRequest::culture).containsExactly("de-DE");
        assertThat(sessionm.offers().requestsFor("U-fr")).extracting(OffersRequest::culture).containsExactly("fr-CA");
        assertThat(run.stdout()).contains("skipped lines          1  (missing_identifier: 1)");
    }

    @Test
    void whileBrazeIsSlowAChunkReadsNoMoreThan2000MembersAheadOfItsAnswers() {
        int members = 3_000;
        sessionm.offers().everyoneHas(Wallet.of(1, 1, OfferWallets.offer("o", "Offer", "2027-01-01T00:00:00Z")));
        StorageLocation export = writeExport(ExportFolder.of("slow-braze-segment"), List.of(members(1, members)));
        // Braze answers its first request only once SessionM has served every wallet, or
        // no more for a second: the run reads as far ahead of Braze as it will.
        CompletableFuture<Void> release = new CompletableFuture<>();
        braze.enqueue(BrazeFault.processThenHold(release));
        CompletableFuture.runAsync(() -> releaseOnceReadsStop(release, members));

        Run run = offers(Map.of("offers.chunk-size", Integer.toString(members), "braze.rest.max-in-flight", "1",
                "braze.rest.request-timeout", "5m"), "--export=" + export.uri(), "--identifier=" + IDENTIFIER);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(objectsPerMember()).as("one attribute object per member").hasSize(members);
        List<Long> brazeReceived = braze.requests().stream().map(TrackRequest::receivedNanos).sorted().toList();
        List<Long> firstReads = sessionm.offers()
            .requests()
            .stream()
            .collect(Collectors.toMap(OffersRequest::userId, OffersRequest::receivedNanos, Math::min))
            .values()
            .stream()
            .sorted()
            .toList();
        assertThat(firstReads).hasSize(members);
        for (int read = 1; read <= members; read++) {
            long at = firstReads.get(read - 1);
            long brazeRequestsBefore = brazeReceived.stream().filter(received -> received <= at).count();
            assertThat(read).as("wallets read once Braze had received %d requests", brazeRequestsBefore)
                .isLessThanOrEqualTo(WalletChunk.MAX_MEMBERS_IN_HAND + 75 * (int) brazeRequestsBefore);
        }
    }

    /**
     * Completes {@code release} once SessionM has received {@code reads} requests, or
     * none for a second.
     */
    private static void releaseOnceReadsStop(CompletableFuture<Void> release, int reads) {
        int seen = -1;
        long unchangedSince = System.nanoTime();
        while (true) {
            int now = sessionm.offers().requests().size();
            if (now != seen) {
                seen = now;
                unchangedSince = System.nanoTime();
            }
            if (now >= reads || (now > 0 && System.nanoTime() - unchangedSince > Duration.ofSeconds(1).toNanos())) {
                release.complete(null);
                return;
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                release.complete(null);
                return;
            }
        }
    }

    private static StorageLocation writeExport(ExportFolder folder, List<String> members) {
        int third = members.size() / 3;
        Map<String, byte[]> objects = new LinkedHashMap<>();
        objects.put("a.zip", zip(lines(members.subList(0, third).toArray(String[]::new))));
        objects.put("b.gz", gzip(lines(members.subList(third, 2 * third).toArray(String[]::new))));
        objects.put("c.zip", zip(lines(members.subList(2 * third, members.size()).toArray(String[]::new))));
        return folder.writeTo(s3, "braze-exports", objects);
    }

}
