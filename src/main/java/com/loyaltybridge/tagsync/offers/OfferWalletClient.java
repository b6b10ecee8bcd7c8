package com.loyaltybridge.tagsync.offers;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.http.JsonPost;
import com.loyaltybridge.tagsync.http.PooledRestClients;
import com.loyaltybridge.tagsync.http.RetryingCalls;
import com.loyaltybridge.tagsync.http.RetryingCalls.Attempt;
import com.loyaltybridge.tagsync.offers.WalletOutcome.CredentialsRefused;
import com.loyaltybridge.tagsync.offers.WalletOutcome.NotDelivered;
import com.loyaltybridge.tagsync.offers.WalletOutcome.Read;
import com.loyaltybridge.tagsync.offers.WalletOutcome.Throttled;
import com.loyaltybridge.tagsync.offers.WalletOutcome.Unreadable;
import com.loyaltybridge.tagsync.sessionm.AnswerClassifier;
import com.loyaltybridge.tagsync.sessionm.RequestThrottle;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.AuthFailed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Failed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Rejected;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Success;
import com.loyaltybridge.tagsync.sessionm.SessionmMetrics;

/**
 * Reads one customer's offer wallet from SessionM Connect: {@code POST
 * {endpoint}/offers/api/2.0/offers/get_user_offers} with {@code retailer_id},
 * {@code user_id}, {@code skip}/{@code take} and {@code culture}, page after page until
 * {@code total_records} offers are read.
 *
 * <p>
 * What each answer means. SessionM documents no Connect error, so they are read like
 * Core's (see {@link AnswerClassifier}); the body's {@code status} decides as much as the
 * HTTP code:
 * <ul>
 * <li>HTTP 2xx with a JSON body holding a {@code payload} and no
 * {@code "status":"error"}: a page of the wallet. Fields not named here are ignored; a
 * missing {@code user_offers} is an empty page.</li>
 * <li>401, 403, or an error code in {@code auth-error-codes}: {@link CredentialsRefused};
 * the run must stop.</li>
 * <li>429: every thread waits out {@code Retry-After} (capped by {@code max-retry-after};
 * without it, the backoff) through the shared {@link RequestThrottle}, and the page is
 * asked for again, without using up a retry, until the read has been throttled for
 * {@code max-throttled-wait}: {@link Throttled}.</li>
 * <li>5xx, a timeout, a lost connection, an error code in {@code retryable-error-codes}:
 * the page is asked for again with exponential backoff. A read changes nothing at
 * SessionM, so any failure may be retried; when retries run out, {@link NotDelivered}.
 * Pages already read are kept.</li>
 * <li>Any other JSON answer, such as 404 or 200 with {@code "status":"error"} and
 * {@code user_not_found}: {@link WalletOutcome.Rejected} with SessionM's code, permanent
 * for this customer.</li>
 * <li>An answer that is not JSON (a proxy's page, a wrong endpoint), or JSON without a
 * {@code payload}: {@link Unreadable}, not retried.</li>
 * </ul>
 *
 * <p>
 * Thread-safe: one client serves every thread of every run. Credentials are checked when
 * a wallet is read, so the bean exists in runs that never read one. The Connect
 * authorization string never reaches logs or messages.
 *
 * <p>
 * Many wallets are read at once through {@link #reads()}: on the client's own threads, as
 * many at once as {@code max-in-flight} (the connections it keeps), every thread under
 * the one rate limit. Threads are made as reads need them and end after
 * {@value #IDLE_THREAD_SECONDS} s without work; the pool stops with the application
 * context.
 */
public class OfferWalletClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OfferWalletClient.class);

    private static final String BASIC_PREFIX = "basic ";
    static final String NOT_READ_AUTH = "not read: SessionM Connect refused the credentials";
    static final String NOT_READ_SHUT_DOWN = "not read: the client is shut down";

    private static final long IDLE_THREAD_SECONDS = 30;

    private static final long SHUTDOWN_GRACE_SECONDS = 30;

    private static final long HIGHEST_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

    private final ConnectSettings settings;

    private final RequestThrottle throttle;

    private final RestClient restClient;

    private final AnswerClassifier classifier;

    private final SessionmMetrics metrics;

    private final RetryingCalls calls;

    private final ThreadPoolExecutor pool;

    public OfferWalletClient(ConnectSettings settings, RequestThrottle throttle, MeterRegistry meterRegistry) {
        this.settings = settings;
        this.throttle = throttle;
        this.restClient = PooledRestClients.create(settings.maxInFlight(), settings.connectTimeout(),
                settings.requestTimeout(), "the SessionM Connect authorization (the Authorization header)");
        this.classifier = new AnswerClassifier(settings.retryableErrorCodes(), settings.authErrorCodes(),
                settings.maxRetryAfter(), Clock.systemUTC());
        this.metrics = new SessionmMetrics(meterRegistry, "sessionm.connect", "SessionM Connect");
        this.calls = new RetryingCalls("SessionM Connect", settings.retryLimits(), throttle::pauseFor, metrics::retry);
        this.pool = new ThreadPoolExecutor(settings.maxInFlight(), settings.maxInFlight(), IDLE_THREAD_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new CustomizableThreadFactory("connect-read-"));
        pool.allowCoreThreadTimeOut(true);
    }

    /** The most wallets read at once: {@code sessionm.connect.max-in-flight}. */
    public int maxInFlight() {
        return settings.maxInFlight();
    }

    /** Reads of many wallets at once, for one run: see {@link Reads}. */
    public Reads reads() {
        return new Reads();
    }

    /**
     * The wallet reads of one run, on the client's threads. Once SessionM refuses the
     * credentials, or the run {@linkplain #stop stops} them, the reads not yet started
     * are not made: they come back {@link NotDelivered}. Reads under way finish, so that
     * every outcome is known.
     */
    public final class Reads {

        private final AtomicReference<String> stopReason = new AtomicReference<>();

        /**
         * How long each read took on its thread, pages and retries included, in
         * microseconds.
         */
        private final ConcurrentHistogram latencies = new ConcurrentHistogram(HIGHEST_LATENCY_MICROS, 2);

        private Reads() {
        }

        /**
         * How long the reads made so far took each (not counting their wait for a
         * thread), in microseconds.
         */
        public Histogram latencies() {
            return latencies.copy();
        }

        /**
         * Reads the wallet of {@code userId} (see {@link #read}) once a thread is free,
         * reads submitted earlier first. The future completes with the outcome on the
         * thread that read it, or with the exception of a programming or configuration
         * error (missing credentials).
         */
        public CompletableFuture<WalletOutcome> submit(String userId, @Nullable String culture) {
            ReadTask task = new ReadTask(userId, culture, this);
            try {
                pool.execute(task);
            }
            catch (RejectedExecutionException shutDown) {
                task.notRun();
            }
            return task.outcome;
        }

        /**
         * No read of these starts from now on: they come back {@link NotDelivered} with
         * {@code reason}.
         */
        public void stop(String reason) {
            stopReason.compareAndSet(null, reason);
        }

    }

    /** One wallet read waiting for a thread. */
    private final class ReadTask implements Runnable {

        private final String userId;

        private final String culture;

        private final Reads reads;

        private final CompletableFuture<WalletOutcome> outcome = new CompletableFuture<>();

        ReadTask(String userId, String culture, Reads reads) {
            this.userId = userId;
            this.culture = culture;
            this.reads = reads;
        }

        @Override
        public void run() {
            String reason = reads.stopReason.get();
            if (reason != null) {
                outcome.complete(new NotDelivered(reason));
                return;
            }
            WalletOutcome read;
            long start = System.nanoTime();
            try {
                read = read(userId, culture);
            }
            catch (RuntimeException | Error failure) {
                outcome.completeExceptionally(failure);
                return;
            }
            reads.latencies
                .recordValue(Math.min(HIGHEST_LATENCY_MICROS, Math.max(1, (System.nanoTime() - start) / 1000)));
            if (read instanceof CredentialsRefused) {
                reads.stopReason.compareAndSet(null, NOT_READ_AUTH);
            }
            outcome.complete(read);
        }

        void notRun() {
            outcome.complete(new NotDelivered(NOT_READ_SHUT_DOWN));
        }

    }

    /**
     * Stops the pool: reads not started come back {@link NotDelivered}, reads under way
     * are interrupted and given a grace period to report what became of them.
     */
    @Override
    public void close() throws InterruptedException {
        for (Runnable notStarted : pool.shutdownNow()) {
            ((ReadTask) notStarted).notRun();
        }
        pool.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Reads the offer wallet of one customer; never throws for what SessionM or the
     * network did.
     * @param userId the SessionM user id ({@code get_user_offers} takes no external id)
     * @param culture the member's culture, e.g. {@code fr-CA}; null or blank for
     * {@code sessionm.connect.culture}
     * @throws IllegalStateException when the Connect endpoint, authorization or retailer
     * id is not set
     */
    public WalletOutcome read(String userId, @Nullable String culture) {
        List<String> missing = settings.missingCredentials();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("SessionM Connect is not configured: set " + String.join(", ", missing));
        }
        WalletRead read = new WalletRead(userId, culture == null || culture.isBlank() ? settings.culture() : culture);
        return calls.run("get_user_offers of user " + userId, read::attempt, NotDelivered::new, reason -> {
            log.warn("SessionM Connect throttled the wallet of user {} too long: {}", userId, reason);
            return new Throttled(reason);
        });
    }

    /**
     * One customer's read, across its pages and attempts. Confined to the thread that
     * runs it.
     */
    private final class WalletRead {

        private final String userId;

        private final String culture;

        private final List<JsonNode> offers = new ArrayList<>();

        /**
         * Entries of {@code user_offers} received so far, objects or not: the next page's
         * {@code skip}.
         */
        private int received;

        private int totalRecords = -1;

        private JsonNode availablePoints;

        private JsonNode totalPoints;

        WalletRead(String userId, String culture) {
            this.userId = userId;
            this.culture = culture;
        }

        Attempt<WalletOutcome> attempt() throws InterruptedException {
            while (true) {
                Exchanged exchanged = exchange(pageRequest());
                SessionmAnswer answer = exchanged.answer();
                if (answer instanceof SessionmAnswer.Throttled throttled) {
                    return new Attempt.Throttled<>(throttled.retryAfter());
                }
                if (answer instanceof Failed failed) {
                    return new Attempt.Retry<>(failed.reason());
                }
                if (answer instanceof AuthFailed refused) {
                    log.warn("SessionM Connect refused the credentials ({}) reading the wallet of user {}",
                            AnswerClassifier.describe(refused.status(), refused.code()), userId);
                    return done(new CredentialsRefused(refused.status(), refused.code()));
                }
                if (answer instanceof Rejected rejected) {
                    return done(rejected(exchanged, rejected));
                }
                JsonNode body = ((Success) answer).body();
                if (body.isMissingNode()) {
                    return done(unreadable(exchanged.status(), "the answer is not JSON"));
                }
                if (!body.path("payload").isObject()) {
                    return done(unreadable(exchanged.status(), "the answer holds no payload"));
                }
                if (!addPage(body.path("payload"))) {
                    return done(new Read(wallet()));
                }
            }
        }

        private ObjectNode pageRequest() {
            ObjectNode body = JsonMapper.shared().createObjectNode();
            body.put("retailer_id", settings.retailerId());
            body.put("user_id", userId);
            body.put("skip", received);
            body.put("take", settings.pageSize());
            body.put("include_pending_extended_data", settings.includePendingExtendedData());
            body.put("culture", culture);
            return body;
        }

        /** Keeps the page's offers; answers whether another page is to be read. */
        private boolean addPage(JsonNode payload) {
            JsonNode page = payload.path("user_offers");
            int onPage = page.isArray() ? page.size() : 0;
            for (int i = 0; i < onPage && offers.size() < settings.maxOffersRead(); i++) {
                if (page.get(i).isObject()) {
                    offers.add(page.get(i));
                }
            }
            if (received == 0) {
                availablePoints = numberOrNull(payload.path("available_points"));
                totalPoints = numberOrNull(payload.path("total_points"));
            }
            received += onPage;
            // The latest count wins: offers may be issued or redeemed between two pages.
            JsonNode total = payload.path("total_records");
            totalRecords = total.isIntegralNumber() && total.canConvertToInt() ? total.asInt() : -1;
            if (onPage == 0 || received >= settings.maxOffersRead()) {
                return false;
            }
            return totalRecords >= 0 ? received < totalRecords : onPage >= settings.pageSize();
        }

        private OfferWallet wallet() {
            boolean complete = received < settings.maxOffersRead() || (totalRecords >= 0 && received >= totalRecords);
            if (!complete) {
                log.warn("The wallet of user {} holds {} offers: only the first {} were read", userId,
                        totalRecords < 0 ? "more than " + received : totalRecords, settings.maxOffersRead());
            }
            return new OfferWallet(userId, offers, availablePoints, totalPoints, totalRecords, complete);
        }

        private WalletOutcome rejected(Exchanged exchanged, Rejected rejected) {
            if (!exchanged.json()) {
                return unreadable(exchanged.status(), "the answer is not JSON");
            }
            String status = AnswerClassifier.describe(rejected.status(), rejected.code());
            log.info("SessionM Connect rejected user {}: {}", userId,
                    status.equals(rejected.message()) ? status : status + " (" + rejected.message() + ")");
            return new WalletOutcome.Rejected(rejected.status(), rejected.code(), rejected.message());
        }

        private WalletOutcome unreadable(int status, String reason) {
            String described = "HTTP " + status + ": " + reason;
            log.warn("SessionM Connect's answer for the wallet of user {} cannot be read: {}", userId, described);
            return new Unreadable(status, described);
        }

        private Attempt<WalletOutcome> done(WalletOutcome outcome) {
            return new Attempt.Done<>(outcome);
        }

    }

    private Exchanged exchange(ObjectNode body) throws InterruptedException {
        URI uri = getUserOffersUri();
        byte[] json = JsonMapper.shared().writeValueAsBytes(body);
        throttle.acquire();
        long start = System.nanoTime();
        Exchanged exchanged;
        try {
            JsonPost.Answer raw = JsonPost.post(restClient, uri,
                    headers -> headers.set(HttpHeaders.AUTHORIZATION, basicAuthorization()), json);
            SessionmAnswer answer = classifier.classify(raw.status(), raw.headers(), raw.body());
            exchanged = new Exchanged(answer, raw.status(),
                    !(answer instanceof Rejected) || !JsonPost.parse(raw.body()).isMissingNode());
        }
        catch (IOException failure) {
            exchanged = new Exchanged(new Failed(JsonPost.describe(failure), false), null, false);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.exchange("POST", exchanged.answer(), exchanged.status(), took);
        return exchanged;
    }

    private URI getUserOffersUri() {
        String endpoint = settings.endpoint().toString();
        return URI.create((endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint)
                + ConnectSettings.GET_USER_OFFERS_PATH);
    }

    /**
     * SessionM supplies the string that follows "Basic"; one given with the word already
     * is taken as it is.
     */
    private String basicAuthorization() {
        String authorization = settings.authorization().trim();
        return authorization.toLowerCase(Locale.ROOT).startsWith(BASIC_PREFIX) ? authorization
                : "Basic " + authorization;
    }

    private static JsonNode numberOrNull(JsonNode value) {
        return value.isNumber() ? value : null;
    }

    /**
     * @param status null when no HTTP answer came back
     * @param json false when a refusal's body was not JSON: not SessionM speaking about
     * the customer
     */
    private record Exchanged(SessionmAnswer answer, Integer status, boolean json) {
    }

}
