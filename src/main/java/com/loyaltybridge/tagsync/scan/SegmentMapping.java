package com.loyaltybridge.tagsync.scan;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.boot.context.properties.bind.DefaultValue;

import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.ExportJobRequest;
import com.loyaltybridge.tagsync.sync.SyncMode;
import com.loyaltybridge.tagsync.sync.SyncRequest;
import com.loyaltybridge.tagsync.text.UntrustedText;
import com.loyaltybridge.tagsync.wallet.OfferWalletRequest;

/**
 * What to do with the exports of one Braze segment, from the segment mappings file: of
 * kind {@code tags} (the default), the tag settings of {@code sync}; of kind
 * {@code offers}, those of {@code offers}, whose members' offer wallets are written to
 * Braze. Checked when bound, so a typo stops the application before any work. The segment
 * is the audience of its exports: each run of one sends what changed since the last one.
 * A segment may have one mapping of each kind; they are two audiences, each with its own
 * state.
 *
 * @param segmentId Braze segment id: the folder under {@code segment-export/}
 * @param kind {@code tags} or {@code offers}
 * @param tags tag names to put on every user of the segment (kind {@code tags} only, and
 * required there)
 * @param ttl time to live of the tags in seconds; absent for counter tags
 * @param mode {@code api}, {@code csv} or {@code auto}
 * @param identifier {@code external_id}, {@code custom_attribute:NAME} or
 * {@code alias:LABEL}; for kind {@code offers} one of the last two, which hold the
 * SessionM {@code user_id}
 * @param output where csv mode writes; absent for {@code bulk-file.output}
 * @param full send every member of the next sync whatever the audience's state
 * ({@code --full}: counter tags go up for everyone). For one-off use: set it, let one
 * scan sync, remove it; left in place, every new export is sent in full, and an export
 * already synced is synced again in full (kind {@code offers}: every wallet is written,
 * changed or not)
 * @param culture kind {@code offers}: the culture of members without a language in the
 * export; absent for {@code sessionm.connect.culture}
 */
public record SegmentMapping(String segmentId, @DefaultValue("tags") String kind, List<String> tags, Long ttl,
        @DefaultValue("auto") String mode, @DefaultValue("external_id") String identifier, String output,
        @DefaultValue("false") boolean full, String culture) {

    /** What a mapping does with its segment's exports. */
    public enum Kind {

        /** Tags every member in SessionM: the tag sync. */
        TAGS,
        /** Writes every member's SessionM offer wallet to Braze: the offers job. */
        OFFERS;

        /**
         * Its name in a mapping and in the REST API: {@code tags} or {@code offers}.
         */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String text) {
            for (Kind kind : values()) {
                if (kind.text().equals(text)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException(UntrustedText.quote(text) + " is not a kind: use tags or offers");
        }

    }

    /**
     * Braze's segment ids are UUIDs; this bounds what a request or a mapping can make us
     * look for.
     */
    public static final int MAX_SEGMENT_ID_LENGTH = 255;

    public SegmentMapping {
        problemWithSegmentId(segmentId).ifPresent(problem -> {
            throw new IllegalArgumentException("segment-id " + problem);
        });
        Kind parsedKind;
        try {
            parsedKind = Kind.parse(kind);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("segment " + segmentId + ": " + e.getMessage());
        }
        if (parsedKind == Kind.OFFERS) {
            checkOffers(segmentId, tags, ttl, identifier, output, culture);
            tags = List.of();
        }
        else {
            tags = checkTags(segmentId, tags, ttl, mode, identifier, output, culture);
        }
    }

    /** The settings of a mapping of kind {@code tags}; its tags, copied. */
    private static List<String> checkTags(String segmentId, List<String> tags, Long ttl, String mode, String identifier,
            String output, String culture) {
        if (culture != null) {
            throw new IllegalArgumentException("segment " + segmentId + ": culture goes with kind offers");
        }
        if (tags == null || tags.isEmpty()) {
            throw new IllegalArgumentException("segment " + segmentId + " has no tags");
        }
        SyncRequest.problemWithTags(tags).ifPresent(problem -> {
            throw new IllegalArgumentException("segment " + segmentId + ": " + problem);
        });
        if (ttl != null && (ttl < 1 || ttl > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("segment " + segmentId + ": ttl " + ttl
                    + " is not a number of seconds between 1 and " + Integer.MAX_VALUE);
        }
        try {
            SyncMode.parse(mode);
            IdentifierSource.parse(identifier);
            if (output != null) {
                StorageLocation.parse(output);
            }
        }
        catch (IllegalArgumentException e) {
            // Not chained: the message says it all, and a start refusal shows the
            // innermost message of the chain.
            throw new IllegalArgumentException("segment " + segmentId + ": " + e.getMessage());
        }
        return List.copyOf(tags);
    }

    /**
     * Why {@code segmentId} cannot be a Braze segment id, which names a folder of the
     * export layout ({@code segment-export/SEGMENT_ID/}), in one line quoting it; empty
     * when it can.
     */
    public static Optional<String> problemWithSegmentId(String segmentId) {
        if (segmentId == null || segmentId.isBlank()) {
            return Optional.of("is empty: expected a Braze segment id");
        }
        if (segmentId.length() > MAX_SEGMENT_ID_LENGTH) {
            return Optional.of(UntrustedText.quote(segmentId) + " is not a Braze segment id: longer than "
                    + MAX_SEGMENT_ID_LENGTH + " characters");
        }
        if (segmentId.contains("/") || segmentId.equals(".") || segmentId.equals("..")) {
            return Optional
                .of(UntrustedText.quote(segmentId) + " is not a Braze segment id: it names no single folder");
        }
        return UntrustedText.forbiddenCharacterIn(segmentId)
            .map(character -> UntrustedText.quote(segmentId) + " is not a Braze segment id: it holds " + character);
    }

    /**
     * The settings of a mapping of kind {@code offers}: no tag settings, and an
     * identifier that is a SessionM user_id.
     */
    private static void checkOffers(String segmentId, List<String> tags, Long ttl, String identifier, String output,
            String culture) {
        if (tags != null && !tags.isEmpty() || ttl != null || output != null) {
            throw new IllegalArgumentException(
                    "segment " + segmentId + ": tags, ttl and output go with kind tags, not offers");
        }
        IdentifierSource source;
        try {
            source = IdentifierSource.parse(identifier);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("segment " + segmentId + ": " + e.getMessage());
        }
        if (!source.isSessionmUserId()) {
            throw new IllegalArgumentException(
                    "segment " + segmentId + ": kind offers reads wallets by the SessionM user_id:"
                            + " set identifier to custom_attribute:NAME or alias:LABEL, where the export holds it");
        }
        OfferWalletRequest.problemWithCulture(culture).ifPresent(problem -> {
            throw new IllegalArgumentException(
                    "segment " + segmentId + ": culture " + UntrustedText.quote(culture) + " is " + problem);
        });
    }

    public Kind mappingKind() {
        return Kind.parse(kind);
    }

    public SyncMode syncMode() {
        return SyncMode.parse(mode);
    }

    /**
     * The run of {@code export}, an export folder of this segment, that this mapping asks
     * for, in the segment's audience of its kind: a tag sync, or the offers job.
     */
    public ExportJobRequest jobRequestFor(StorageLocation export) {
        return mappingKind() == Kind.OFFERS
                ? new OfferWalletRequest(export, IdentifierSource.parse(identifier), culture, null, full)
                : requestFor(export);
    }

    /**
     * The sync of {@code export}, an export folder of this segment, with this mapping's
     * settings, in the segment's audience; for a mapping of kind {@code tags} only.
     */
    public SyncRequest requestFor(StorageLocation export) {
        if (mappingKind() != Kind.TAGS) {
            throw new IllegalStateException("segment " + segmentId + " is mapped for offer wallets, not tags");
        }
        return new SyncRequest(export, tags, ttl, syncMode(), IdentifierSource.parse(identifier),
                output == null ? null : StorageLocation.parse(output), null, full);
    }
}
