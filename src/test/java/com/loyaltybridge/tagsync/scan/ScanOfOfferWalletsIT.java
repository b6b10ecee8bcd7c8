package com.loyaltybridge.tagsync.scan;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets;
import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.WalletTestSupport;

/**
 * {@code scan} with a segment mapped twice, for tags and for offer wallets: each export
 * is tagged in SessionM and its members' wallets written to Braze, each mapping an
 * audience of its own, so the CronJob refreshes wallets on its schedule; its dry run
 * plans both and writes nothing.
 */
class ScanOfOfferWalletsIT extends WalletTestSupport {

    private static final int MEMBERS = 10;

    @Test
    void aSegmentMappedForTagsAndOffersIsTaggedAndItsChangedWalletsWrittenExportAfterExport() {
        String bucket = "scan-wallets";
        String segment = "seg-wallets";
        Map<String, Wallet> wallets = new HashMap<>();
        for (int i = 1; i <= MEMBERS; i++) {
            wallets.put("U-" + i,
                    Wallet.of(i, 10 * i, OfferWallets.offer("w-" + i, "Welcome " + i, "2027-06-01T00:00:00Z")));
        }
        wallets.forEach(sessionm.offers()::put);
        ExportFolder day1 = ExportFolder.of(segment);
        StorageLocation first = writeExport(bucket, day1, members(1, MEMBERS));

        Run plan = run(scanSettings(bucket, segment), "scan", "--dry-run");

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(plan.stdout())
            .containsSubsequence(first.uri() + ": planned (dry run", first.uri() + ": planned (dry run")
            .contains("Dry run of offer wallets COMPLETED")
            .contains("would write            " + MEMBERS + " wallets in 1 Braze requests")
            .contains("scan: 2 planned (dry run), 0 synced now");
        assertThat(braze.requests()).as("a dry run writes nothing to Braze").isEmpty();
        assertThat(sessionm.postCount()).as("nor tags anyone").isZero();

        Run scan = run(scanSettings(bucket, segment), "scan");

        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(scan.stdout()).contains(first.uri() + ": completed (execution")
            .contains("users " + MEMBERS + ", tagged " + MEMBERS)
            .contains(
                    "offer wallets: members " + MEMBERS + ", written " + MEMBERS + " in 1 Braze requests, unchanged 0")
            .contains("scan: 2 synced now, 0 synced before");
        for (int i = 1; i <= MEMBERS; i++) {
            assertThat(sessionm.appliedCounts(IdentifierType.EXTERNAL_ID, "E-" + i)).as("tags of E-%d", i)
                .isEqualTo(Map.of("vip", 1));
            assertThat(profileOf("E-" + i)).as("the profile of E-%d", i)
                .isEqualTo(expectedAttributes(wallets.get("U-" + i)));
        }

        // The next export: two wallets changed, one member left.
        int objectsBefore = braze.attributeObjects().size();
        wallets.put("U-3", Wallet.of(33, 30));
        wallets.put("U-7", Wallet.of(77, 70, OfferWallets.offer("new-7", "New 7", "2027-02-01T00:00:00Z")));
        wallets.forEach(sessionm.offers()::put);
        StorageLocation second = writeExport(bucket, day1.nextDay(), members(1, MEMBERS - 1));

        Run next = run(scanSettings(bucket, segment), "scan");

        assertThat(next.exitCode()).as(next.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(next.stdout()).contains(second.uri() + ": completed (execution")
            .contains("offer wallets: members " + (MEMBERS - 1) + ", written 2 in 1 Braze requests, unchanged "
                    + (MEMBERS - 3) + ", rejected 0, refused 0, left the segment 1")
            .contains("scan: 2 synced now, 2 synced before");
        assertThat(objectsPerMemberSince(objectsBefore)).as("attribute objects Braze received, by member")
            .isEqualTo(Map.of("E-3", 1, "E-7", 1, "E-" + MEMBERS, 1));
        assertThat(profileOf("E-7")).isEqualTo(expectedAttributes(wallets.get("U-7")));
        assertThat(profileOf("E-" + MEMBERS)).as("the leaver's wallet cleared").isEmpty();

        int requestsThen = braze.requests().size();
        Run again = run(scanSettings(bucket, segment), "scan");

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(again.stdout()).contains("scan: 0 synced now, 4 synced before");
        assertThat(braze.requests()).as("nothing written twice").hasSize(requestsThen);
    }

    @Test
    void anOffersMappingThatCannotReadWalletsIsRefusedBeforeAnyWork() {
        Map<String, String> byExternalId = new LinkedHashMap<>(scanSettings("scan-wallets-refused", "seg-refused"));
        byExternalId.put("scan.segments[1].identifier", "external_id");
        Map<String, String> withTags = new LinkedHashMap<>(scanSettings("scan-wallets-refused", "seg-refused"));
        withTags.put("scan.segments[1].tags", "vip");
        Map<String, String> twice = new LinkedHashMap<>(scanSettings("scan-wallets-refused", "seg-refused"));
        twice.put("scan.segments[2].segment-id", "seg-refused");
        twice.put("scan.segments[2].kind", "offers");
        twice.put("scan.segments[2].identifier", IDENTIFIER);
        Map<String, String> noConnect = new LinkedHashMap<>(scanSettings("scan-wallets-refused", "seg-refused"));
        noConnect.put("sessionm.connect.authorization", "");

        Run externalId = run(byExternalId, "scan");
        Run tags = run(withTags, "scan");
        Run mappedTwice = run(twice, "scan");
        Run withoutConnect = run(noConnect, "scan", "--dry-run");

        assertThat(externalId.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(externalId.stderr())
            .contains("segment seg-refused: kind offers reads wallets by the SessionM user_id");
        assertThat(tags.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(tags.stderr()).contains("segment seg-refused: tags, ttl and output go with kind tags, not offers");
        assertThat(mappedTwice.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(mappedTwice.stderr()).contains("segment seg-refused is mapped twice for offers");
        assertThat(withoutConnect.exitCode()).as("a dry run reads every wallet too").isEqualTo(ExitCode.USAGE);
        assertThat(withoutConnect.stderr()).contains("segment seg-refused: offers reads wallets from SessionM Connect")
            .contains("SESSIONM_CONNECT_AUTHORIZATION");
        assertThat(braze.requests()).isEmpty();
    }

    /**
     * The segment mapped for the tag {@code vip} (api) and for offer wallets, its exports
     * settled at once.
     */
    private static Map<String, String> scanSettings(String bucket, String segment) {
        Map<String, String> settings = new LinkedHashMap<>(walletProperties());
        settings.put("scan.export-roots", "s3://" + bucket + "/");
        settings.put("scan.settle-time", "0s");
        settings.put("scan.segments[0].segment-id", segment);
        settings.put("scan.segments[0].tags", "vip");
        settings.put("scan.segments[0].mode", "api");
        settings.put("scan.segments[1].segment-id", segment);
        settings.put("scan.segments[1].kind", "offers");
        settings.put("scan.segments[1].identifier", IDENTIFIER);
        // A loaded machine must not turn a slow answer into an unknown outcome: these
        // tests are about scanning.
        settings.put("sessionm.request-timeout", "10s");
        return settings;
    }

    private static StorageLocation writeExport(String bucket, ExportFolder folder, String[] members) {
        return folder.writeTo(s3, bucket, Map.of("part.zip", zip(lines(members))));
    }

}
