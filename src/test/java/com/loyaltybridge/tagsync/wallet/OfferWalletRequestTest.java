package com.loyaltybridge.tagsync.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.InvalidSyncRequestException;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.sync.SyncRequest;

/**
 * The offers job's request: the one boundary to its job parameters, and what it refuses.
 */
class OfferWalletRequestTest {

    private static final StorageLocation EXPORT = StorageLocation
        .parse("s3://braze-exports/segment-export/SEG-1/2026-11-28/6f1c2a9e-3b7d-4c55-9a1e-2d8f0b4c7e11-1764316800/");

    private static final IdentifierSource USER_ID = IdentifierSource.parse("custom_attribute:sm_user_id");

    @Test
    void itsJobParametersGiveTheSameRequestBackAndOnlyWhatWasGivenIdentifiesIt() {
        OfferWalletRequest plain = new OfferWalletRequest(EXPORT, USER_ID);
        OfferWalletRequest everything = new OfferWalletRequest(EXPORT, USER_ID, "fr-CA", "loyal-members", true);

        assertThat(OfferWalletRequest.fromJobParameters(plain.toJobParameters())).isEqualTo(plain);
        assertThat(OfferWalletRequest.fromJobParameters(everything.toJobParameters())).isEqualTo(everything);
        assertThat(plain.toJobParameters().getIdentifyingParameters()).extracting(JobParameter::name)
            .containsExactlyInAnyOrder("export", "identifier");
        assertThat(everything.toJobParameters().getIdentifyingParameters()).extracting(JobParameter::name)
            .containsExactlyInAnyOrder("export", "identifier", "culture", "audience", "full");
    }

    @Test
    void itsAudienceIsNamedWithTheJobSoTagsAndWalletsOfOneSegmentAreTwoAudiences() {
        assertThat(new OfferWalletRequest(EXPORT, USER_ID).audienceName()).isEqualTo("offers:SEG-1");
        assertThat(new OfferWalletRequest(EXPORT, USER_ID, null, "SEG-1", false).audience())
            .as("naming the export's own segment is naming none")
            .isNull();
        assertThat(new OfferWalletRequest(EXPORT, USER_ID, null, "vip", false).audienceName()).isEqualTo("offers:vip");
        assertThat(new OfferWalletRequest(StorageLocation.parse("file:/tmp/elsewhere/"), USER_ID).audienceName())
            .as("outside Braze's layout, none named")
            .isNull();
        assertThat(new OfferWalletRequest(EXPORT, USER_ID).exportRequestedAt())
            .contains(Instant.ofEpochSecond(1764316800));
    }

    @Test
    void noCallerCanNameATagSyncAfterAnAudienceOfWalletsSoTheTwoNeverShareAState() {
        OfferWalletRequest wallets = new OfferWalletRequest(EXPORT, USER_ID, null, "gold", false);

        assertThatThrownBy(() -> new SyncRequest(EXPORT, java.util.List.of("vip"), null, SyncMode.API,
                IdentifierSource.parse("custom_attribute:sm_user_id"), null, wallets.audienceName(), false))
            .isInstanceOfSatisfying(InvalidSyncRequestException.class, e -> {
                assertThat(e.field()).isEqualTo("audience");
                assertThat(e.reason()).contains("offers job's audiences");
            });
        assertThatThrownBy(() -> new OfferWalletRequest(EXPORT, USER_ID, null, "offers:gold", false))
            .isInstanceOfSatisfying(InvalidSyncRequestException.class,
                    e -> assertThat(e.field()).isEqualTo("audience"));
    }

    @Test
    void anExternalIdIsRefusedAsGetUserOffersTakesTheSessionmUserId() {
        assertThatThrownBy(() -> new OfferWalletRequest(EXPORT, IdentifierSource.EXTERNAL_ID)).isInstanceOfSatisfying(
                InvalidSyncRequestException.class, e -> assertThat(e.field()).isEqualTo("identifier"));
    }

    @Test
    void aCultureOrAudienceThatCannotBeOneIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new OfferWalletRequest(EXPORT, USER_ID, "en US", null, false))
            .isInstanceOfSatisfying(InvalidSyncRequestException.class, e -> assertThat(e.field()).isEqualTo("culture"));
        assertThatThrownBy(() -> new OfferWalletRequest(EXPORT, USER_ID, null, "a".repeat(250), false))
            .isInstanceOfSatisfying(InvalidSyncRequestException.class,
                    e -> assertThat(e.reason()).contains("at most 249 characters"));
        assertThatThrownBy(() -> new OfferWalletRequest(EXPORT, USER_ID, null, "line\nend", false))
            .isInstanceOfSatisfying(InvalidSyncRequestException.class,
                    e -> assertThat(e.field()).isEqualTo("audience"));
    }

    @Test
    void aRunOfAnotherJobIsNotMistakenForOne() {
        JobParameters tagSync = new com.loyaltybridge.tagsync.sync.SyncRequest(EXPORT, java.util.List.of("vip"), null,
                com.loyaltybridge.tagsync.sync.SyncMode.API, IdentifierSource.EXTERNAL_ID, null)
            .toJobParameters();

        assertThatThrownBy(() -> OfferWalletRequest.fromJobParameters(tagSync))
            .isInstanceOf(IllegalArgumentException.class);
    }

}
