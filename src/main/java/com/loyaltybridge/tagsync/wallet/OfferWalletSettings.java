package com.loyaltybridge.tagsync.wallet;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the offers job reads wallets and writes them to Braze (the Connect and Braze
 * clients have settings of their own: {@code sessionm.connect.*}, {@code braze.rest.*};
 * the attributes: {@code offers.attributes.*}).
 *
 * @param chunkSize members whose wallets are read, compared and written per transaction;
 * unset, {@value #CHUNK_SECONDS} s of work at the slower of the two rate limits: reads at
 * {@code sessionm.connect.requests-per-second}, or, every wallet changed, writes at
 * {@code braze.rest.requests-per-second} times {@code braze.rest.attributes-per-request}
 * (at least {@value #MIN_CHUNK_SIZE}, at most {@value #MAX_CHUNK_SIZE};
 * {@value #UNLIMITED_RATE_CHUNK_SIZE} with neither limit). A chunk's outcomes are
 * committed together once Braze has answered all its requests: after a SIGKILL, the
 * requests of the chunk under way are sent again (setting attributes is idempotent), and
 * a stop is seen when a chunk ends, which must come within the API's shutdown wait (25
 * s). Braze waits while one chunk ends and the next reads its first wallets (a tenth of a
 * second or two): chunks of seconds, not fractions of one, keep that wait a small share
 * of Braze's rate. Whatever the size, a chunk holds at most
 * {@value WalletChunk#MAX_MEMBERS_IN_HAND} members' wallets at once
 * @param clearLeavers whether members who left the segment since the last run get their
 * wallet attributes cleared (set to null, once); off, they keep the last wallet written,
 * and the audience forgets them
 * @param cultures the culture a member's language in the export is read in, e.g.
 * {@code fr=fr-CA}: SessionM's example culture is {@code en-US}, Braze exports ISO 639-1
 * languages ({@code fr}). A language not listed is sent as it is; a member without one is
 * read in {@code sessionm.connect.culture}
 */
@ConfigurationProperties("offers")
public record OfferWalletSettings(@Nullable Integer chunkSize, @DefaultValue("true") boolean clearLeavers,
        @DefaultValue Map<String, String> cultures) {

    static final int CHUNK_SECONDS = 10;
    static final int MIN_CHUNK_SIZE = 75;
    static final int MAX_CHUNK_SIZE = 10_000;
    static final int UNLIMITED_RATE_CHUNK_SIZE = 2_000;

    public OfferWalletSettings {
        if (chunkSize != null && chunkSize < 1) {
            throw new IllegalArgumentException("offers.chunk-size must be at least 1, not " + chunkSize);
        }
        Map<String, String> byLanguage = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byLanguage.putAll(cultures);
        cultures = byLanguage;
    }

    /**
     * The chunk size in force with Connect reads limited to {@code readsPerSecond} and
     * Braze requests to {@code brazeRequestsPerSecond} of {@code attributesPerRequest}
     * wallets each (0: no limit).
     */
    int chunkSize(double readsPerSecond, double brazeRequestsPerSecond, int attributesPerRequest) {
        if (chunkSize != null) {
            return chunkSize;
        }
        double writesPerSecond = brazeRequestsPerSecond * attributesPerRequest;
        double pace = readsPerSecond <= 0 ? writesPerSecond
                : writesPerSecond <= 0 ? readsPerSecond : Math.min(readsPerSecond, writesPerSecond);
        if (pace <= 0) {
            return UNLIMITED_RATE_CHUNK_SIZE;
        }
        long atTheRate = Math.round(pace * CHUNK_SECONDS);
        return (int) Math.min(MAX_CHUNK_SIZE, Math.max(MIN_CHUNK_SIZE, atTheRate));
    }

    /**
     * The culture to read a member's wallet in: its language mapped by {@code cultures},
     * else its language as it is, else {@code fallback} (the run's culture, or
     * {@code sessionm.connect.culture} when null).
     */
    @Nullable String cultureOf(@Nullable String language, @Nullable String fallback) {
        if (language == null || language.isBlank()) {
            return fallback;
        }
        String mapped = cultures.get(language.toLowerCase(Locale.ROOT));
        return mapped != null ? mapped : language;
    }
}
