package com.loyaltybridge.tagsync.wallet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.brazeapi.BrazeRestSettings;
import com.loyaltybridge.tagsync.offers.ConnectSettings;

/**
 * Whether a run of the offers job can start: SessionM Connect's credentials always (every
 * wallet is read), Braze's unless it is a dry run (which writes nothing). The command
 * line and the REST API refuse a run without them at once, with the same words, rather
 * than let it fail on its first member.
 */
@Component
public class OfferWalletPreconditions {

    private final ConnectSettings connect;

    private final BrazeRestSettings braze;

    public OfferWalletPreconditions(ConnectSettings connect, BrazeRestSettings braze) {
        this.connect = connect;
        this.braze = braze;
    }

    /** Why a run (or, with {@code dryRun}, a dry run) cannot start; empty when it can. */
    public Optional<String> problemWith(boolean dryRun) {
        return problemWith(connect, braze, dryRun);
    }

    /** The same from the settings as bound before the application starts. */
    public static Optional<String> problemWith(ConnectSettings connect, BrazeRestSettings braze, boolean dryRun) {
        List<String> missing = new ArrayList<>(connect.missingCredentials());
        if (!dryRun) {
            missing.addAll(braze.missingCredentials());
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of("offers reads wallets from SessionM Connect"
                + (dryRun ? "" : " and writes them to Braze") + ", so set " + String.join(", ", missing));
    }

}
