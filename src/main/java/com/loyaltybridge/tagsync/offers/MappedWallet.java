package com.loyaltybridge.tagsync.offers;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.brazeapi.BrazeUser;
import com.loyaltybridge.tagsync.brazeapi.UserAttributes;

/**
 * An offer wallet turned into Braze custom attributes, and its fingerprint. Compare the
 * fingerprint with the one written last time; write {@link #attributesFor} only when it
 * differs.
 */
public final class MappedWallet {

    private final ObjectNode values;

    private final WalletFingerprint fingerprint;

    private final String syncedAtName;

    MappedWallet(ObjectNode values, WalletFingerprint fingerprint, String syncedAtName) {
        this.values = values;
        this.fingerprint = fingerprint;
        this.syncedAtName = syncedAtName;
    }

    /**
     * The attributes by name (the offers, the points), without the sync time: what the
     * fingerprint covers.
     */
    public ObjectNode values() {
        return values.deepCopy();
    }

    /**
     * The fingerprint of {@link #values()}: equal for equal wallets, whenever they were
     * read.
     */
    public WalletFingerprint fingerprint() {
        return fingerprint;
    }

    /**
     * The attribute object that writes this wallet to {@code user}'s profile, with the
     * sync time (to the second) when {@code offers.attributes.synced-at-name} is set.
     */
    public UserAttributes attributesFor(BrazeUser user, Instant syncedAt) {
        ObjectNode attributes = values.deepCopy();
        if (!syncedAtName.isEmpty()) {
            attributes.put(syncedAtName, syncedAt.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        return new UserAttributes(user, attributes);
    }

    @Override
    public String toString() {
        return "MappedWallet[" + fingerprint + "]";
    }

}
