package com.loyaltybridge.tagsync.launch;

import java.util.Optional;

import org.springframework.stereotype.Component;

import com.loyaltybridge.tagsync.bulkfile.BulkFileSettings;
import com.loyaltybridge.tagsync.sessionm.SessionmSettings;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.sync.SyncRequest;

/**
 * What the configuration must provide before a sync may start: checked by every way of
 * launching one.
 */
@Component
public class SyncPreconditions {

    private final SessionmSettings sessionm;

    private final BulkFileSettings bulkFile;

    public SyncPreconditions(SessionmSettings sessionm, BulkFileSettings bulkFile) {
        this.sessionm = sessionm;
        this.bulkFile = bulkFile;
    }

    /**
     * Why {@code request} cannot run with this configuration, in one line; empty when it
     * can.
     */
    public Optional<String> problemWith(SyncRequest request) {
        return problemWith(request.mode(), request.output() != null);
    }

    /**
     * Why a sync in {@code mode} cannot run with this configuration; {@code hasOutput}:
     * the sync names its bulk file output.
     */
    public Optional<String> problemWith(SyncMode mode, boolean hasOutput) {
        return problemWith(mode, hasOutput, sessionm, bulkFile);
    }

    /**
     * The same check on settings bound before the application starts (the command line's
     * settings check).
     */
    public static Optional<String> problemWith(SyncMode mode, boolean hasOutput, SessionmSettings sessionm,
            BulkFileSettings bulkFile) {
        if (mode != SyncMode.CSV && !sessionm.missingCredentials().isEmpty()) {
            return Optional.of("mode " + mode.text() + " calls SessionM, so set "
                    + String.join(", ", sessionm.missingCredentials()) + " (or use --mode=csv)");
        }
        if (mode != SyncMode.API && !hasOutput && (bulkFile.output() == null || bulkFile.output().isBlank())) {
            return Optional.of("mode " + mode.text()
                    + " may write a bulk file: give --output=s3://bucket/prefix/ or file:/dir/ (or set BULKFILE_OUTPUT)");
        }
        return Optional.empty();
    }

}
