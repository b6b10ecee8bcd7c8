package com.loyaltybridge.tagsync.ledger;

/**
 * A member of an offers run whose wallet is still to be read, as read back from the
 * ledger.
 *
 * @param identifier its SessionM user_id
 * @param state {@link LedgerState#STAGED}, or {@link LedgerState#SENDING} when a request
 * carrying its attributes may have landed (an earlier execution was killed or failed)
 * @param brazeUserField the field that names its Braze profile: {@code external_id} or
 * {@code braze_id}
 * @param brazeUserId its value
 * @param language its language in the export; null when it has none
 */
public record WalletMember(long userSeq, String identifier, LedgerState state, String brazeUserField,
        String brazeUserId, String language) {
}
