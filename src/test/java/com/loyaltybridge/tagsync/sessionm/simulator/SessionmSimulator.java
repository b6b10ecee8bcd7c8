package com.loyaltybridge.tagsync.sessionm.simulator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import com.loyaltybridge.tagsync.sessionm.IdentifierType;

/**
 * A stand-in for SessionM Core's tags API on 127.0.0.1, with faults programmable per
 * test.
 *
 * <p>
 * Endpoints: POST and GET {@code /priv/v1/apps/{apiKey}/external/users/{id}/tags} and
 * {@code /priv/v1/apps/{apiKey}/users/{id}/tags}, with HTTP Basic
 * {@code apiKey:apiSecret}. A POST {@code {"tags":[...],"ttl":N}} adds 1 to each counter
 * tag (no {@code ttl}) or sets each TTL tag, answering {@code {"status":"ok"}}; a GET
 * answers {@code {"status":"ok","user":{"tags":[{"name":"vip","count":2},
 * {"name":"t","ttl":59}]}}}. Every customer exists unless {@linkplain #unknownCustomers
 * marked unknown} (404 {@code user_not_found}). A wrong API key in the path answers 401
 * {@code invalid_api_key}, wrong credentials 401 {@code invalid_auth_token}.
 * {@code GET /__simulator/stats} serves {@link #stats()} as JSON ({@code ?tags=false}:
 * without the per-customer counts). SessionM Connect's {@code get_user_offers} is served
 * too: see {@link #offers()}.
 *
 * <p>
 * Built on Jetty's core handlers without blocking a thread per request, so it also serves
 * benchmarks from the command line ({@link #main}).
 */
public final class SessionmSimulator implements AutoCloseable {

    private final String apiKey;

    private final String expectedAuthorization;

    private final Server server;

    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final ServerConnector connector;

    private final ConnectionStatistics connections = new ConnectionStatistics();

    private volatile long connectionsBeforeReset;

    private final TagsHandler handler;

    private final OffersHandler offers;

    private final CustomerStore customers = new CustomerStore();

    private final FaultPlan faults = new FaultPlan();

    private final Counters counters = new Counters();

    private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();

    private volatile boolean recording = true;

    private volatile boolean credentialsRevoked;

    private volatile LatencyPlan latencyPlan = LatencyPlan.NONE;

    /**
     * When the first answer of this simulator (since start or reset) was timed: the clock
     * of the latency plan.
     */
    private final AtomicLong firstRequestNanos = new AtomicLong(NOT_YET);

    private static final long NOT_YET = Long.MIN_VALUE;

    private volatile ServerRateLimit rateLimit;

    private SessionmSimulator(String apiKey, String apiSecret, int port) throws Exception {
        this.apiKey = apiKey;
        this.expectedAuthorization = "Basic "
                + Base64.getEncoder().encodeToString((apiKey + ":" + apiSecret).getBytes(StandardCharsets.UTF_8));
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("sessionm-simulator");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Identifiers arrive percent-encoded (%2F, %2E%2E, %25): the handler decodes them
        // itself.
        http.setUriCompliance(UriCompliance.UNSAFE);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.addBean(connections);
        server.addConnector(connector);
        this.handler = new TagsHandler(this);
        this.offers = new OffersHandler(this, handler);
        server.setHandler(offers);
        server.setStopTimeout(0);
        server.start();
    }

    /** Starts a simulator on 127.0.0.1 on a random free port. */
    public static SessionmSimulator start(String apiKey, String apiSecret) {
        return start(apiKey, apiSecret, 0);
    }

    /** Starts a simulator on 127.0.0.1 on {@code port} (0 for a random free one). */
    public static SessionmSimulator start(String apiKey, String apiSecret, int port) {
        try {
            return new SessionmSimulator(apiKey, apiSecret, port);
        }
        catch (Exception e) {
            throw new IllegalStateException("SessionM simulator did not start", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the value for {@code sessionm.endpoint}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            handler.abortHung();
            server.stop();
        }
        catch (Exception e) {
            throw new IllegalStateException("SessionM simulator did not stop", e);
        }
    }

    // ---- what was received and applied

    /**
     * Every request received, in arrival order (while {@linkplain #recordRequests
     * recording}).
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** POST requests received, recorded or not, whatever became of them. */
    public int postCount() {
        return (int) counters.posts();
    }

    /** The POSTs received for one customer, in arrival order. */
    public List<RecordedRequest> postsFor(IdentifierType type, String identifier) {
        return requests.stream()
            .filter(request -> "POST".equals(request.method()) && type == request.identifierType()
                    && identifier.equals(request.identifier()))
            .toList();
    }

    /** The customer's counter tags and their counts (preloaded counts included). */
    public Map<String, Integer> appliedCounts(IdentifierType type, String identifier) {
        return customers.counts(type, identifier);
    }

    /** Gives the customer a counter tag before the test starts sending. */
    public void preloadTag(IdentifierType type, String identifier, String tag, int count) {
        customers.preload(type, identifier, tag, count);
    }

    /**
     * SessionM Connect's side: offer wallets served by {@code get_user_offers}, its
     * credentials and faults.
     */
    public OfferWallets offers() {
        return offers.wallets();
    }

    /** These identifiers (of either type) answer 404 {@code user_not_found}. */
    public void unknownCustomers(String... identifiers) {
        customers.markUnknown(identifiers);
    }

    public SimulatorStats stats() {
        return stats(true);
    }

    /** The stats, with or without the per-customer counts (costly for many customers). */
    SimulatorStats stats(boolean withTagPosts) {
        return new SimulatorStats(counters.total(), counters.byStatus(), counters.posts(), counters.maxInFlight(),
                connections.getConnectionsTotal() - connectionsBeforeReset,
                withTagPosts ? customers.tagPosts() : List.of());
    }

    /** The most tags requests handled at once since start or {@link #reset()}. */
    public int maxConcurrentRequests() {
        return counters.maxInFlight();
    }

    /**
     * Turns request recording off for long benchmarks, where keeping every request would
     * fill the heap.
     */
    public void recordRequests(boolean record) {
        this.recording = record;
    }

    /**
     * Back to a fresh simulator: no customers' tags, requests, stats, faults, latency or
     * rate limit; credentials accepted; hung requests dropped.
     */
    public void reset() {
        handler.abortHung();
        customers.clear();
        offers.reset();
        faults.clear();
        requests.clear();
        counters.clear();
        connectionsBeforeReset = connections.getConnectionsTotal();
        credentialsRevoked = false;
        latencyPlan = LatencyPlan.NONE;
        firstRequestNanos.set(NOT_YET);
        rateLimit = null;
        recording = true;
        connector.setIdleTimeout(DEFAULT_IDLE_TIMEOUT.toMillis());
    }

    /**
     * Closes a kept-alive connection after it has been idle this long, as servers and
     * load balancers do.
     */
    public void idleTimeout(Duration idle) {
        connector.setIdleTimeout(idle.toMillis());
    }

    // ---- faults

    /** Faults for the next POSTs, whoever they are for, one per POST in order. */
    public void enqueue(Fault... faults) {
        this.faults.enqueuePosts(faults);
    }

    /**
     * Drops every scripted and random fault still waiting, keeping customers' tags and
     * what was received.
     */
    public void clearFaults() {
        faults.clear();
    }

    /**
     * Faults for the next POSTs for {@code identifier}, one per POST in order; they come
     * before {@link #enqueue}.
     */
    public void faultFor(String identifier, Fault... sequence) {
        faults.forPosts(identifier, sequence);
    }

    /**
     * Faults for the next reads (GET) of {@code identifier}'s tags, one per read in
     * order.
     */
    public void readFaultFor(String identifier, Fault... sequence) {
        faults.forReads(identifier, sequence);
    }

    /**
     * Random faults for every tags request not struck by a scripted one. Draws depend
     * only on {@code seed} and the request's number, so a run can be repeated. No rates:
     * no random faults.
     */
    public void faultRates(long seed, FaultRate... rates) {
        faults.rates(seed, List.of(rates));
    }

    /** From now on every request is answered 401 {@code invalid_auth_token}. */
    public void revokeCredentials() {
        credentialsRevoked = true;
    }

    public void restoreCredentials() {
        credentialsRevoked = false;
    }

    /**
     * Applies and answers the requests held by {@link Fault#hang()}; returns how many
     * there were.
     */
    public int releaseHung() {
        return handler.releaseHung();
    }

    /** Requests held by {@link Fault#hang()} right now. */
    public int hungCount() {
        return handler.hungCount();
    }

    /**
     * Every answer is sent {@code latency} after the request arrived (the request is
     * applied on arrival).
     */
    public void latency(Duration latency) {
        latency(latency, latency);
    }

    /**
     * Every answer is sent after a latency drawn uniformly between {@code min} and
     * {@code max}.
     */
    public void latency(Duration min, Duration max) {
        this.latencyPlan = LatencyPlan.constant(min, max);
    }

    /**
     * From {@code sinceFirstRequest} after the first tags request (since start or
     * {@link #reset()}) on, answers take {@code latency}: SessionM slowing down, or
     * recovering, in the middle of a run. Add one call per change.
     */
    public void latencyFrom(Duration sinceFirstRequest, Duration latency) {
        this.latencyPlan = latencyPlan.with(new LatencyPlan.Step(sinceFirstRequest, latency, latency));
    }

    /**
     * Answers 429 with {@code Retry-After} beyond {@code requestsPerSecond} (bursts of
     * one second allowed); 0 for none.
     */
    public void rateLimit(double requestsPerSecond) {
        this.rateLimit = requestsPerSecond > 0 ? new ServerRateLimit(requestsPerSecond) : null;
    }

    // ---- for the handler

    String apiKey() {
        return apiKey;
    }

    boolean acceptsCredentials(String authorization) {
        return !credentialsRevoked && expectedAuthorization.equals(authorization);
    }

    long rateLimitSecondsToWait(long nowNanos) {
        ServerRateLimit limit = rateLimit;
        return limit == null ? 0 : limit.secondsToWait(nowNanos);
    }

    Duration latency() {
        long now = System.nanoTime();
        firstRequestNanos.compareAndSet(NOT_YET, now);
        return latencyPlan.latency(Duration.ofNanos(now - firstRequestNanos.get()));
    }

    CustomerStore customers() {
        return customers;
    }

    FaultPlan faults() {
        return faults;
    }

    Counters counters() {
        return counters;
    }

    void record(RecordedRequest request, boolean post) {
        if (post) {
            counters.post();
        }
        if (recording) {
            requests.add(request);
        }
    }

    static String errorBody(String code) {
        return "{\"status\":\"error\",\"errors\":{\"code\":\"" + code + "\"}}";
    }

    /**
     * Runs a simulator until the process is stopped, printing
     * {@code SessionM simulator listening on URL} once ready. Options: {@code --port N}
     * (0: any free port; default 8089), {@code --api-key K}, {@code --api-secret S},
     * {@code --latency-ms N} or {@code --latency-ms MIN..MAX} (uniform),
     * {@code --latency-steps AFTER=MS,...} (later latencies from times after the first
     * request, e.g. {@code 10s=1500,30s=300}), {@code --rate-limit RPS} (answers 429 with
     * Retry-After beyond it), {@code --faults KIND=P,...} with KIND one of {@code 429}, a
     * 5xx status, {@code reset} (before applying), {@code reset-after-apply},
     * {@code error-body} (200 with {@code internal_server_error}), {@code --seed N} for
     * the fault draws, and {@code --wallet-offers N} (every user's offer wallet holds N
     * offers; else it is empty). Requests are not recorded; read
     * {@code GET /__simulator/stats}.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        SessionmSimulator simulator = start(options.getOrDefault("api-key", "bench-key"),
                options.getOrDefault("api-secret", "bench-secret"),
                Integer.parseInt(options.getOrDefault("port", "8089")));
        simulator.recordRequests(false);
        String[] latency = options.getOrDefault("latency-ms", "0").split("\\.\\.");
        simulator.latency(Duration.ofMillis(Long.parseLong(latency[0])),
                Duration.ofMillis(Long.parseLong(latency[latency.length - 1])));
        if (options.containsKey("latency-steps")) {
            for (LatencyPlan.Step step : LatencyPlan.parseSteps(options.get("latency-steps"))) {
                simulator.latencyPlan = simulator.latencyPlan.with(step);
            }
        }
        simulator.rateLimit(Double.parseDouble(options.getOrDefault("rate-limit", "0")));
        simulator.offers().record(false);
        if (options.containsKey("wallet-offers")) {
            simulator.offers()
                .everyoneHas(OfferWallets.Wallet.generated(Integer.parseInt(options.get("wallet-offers")), 100, 1000));
        }
        if (options.containsKey("faults")) {
            simulator.faultRates(Long.parseLong(options.getOrDefault("seed", "1")),
                    FaultRate.parseAll(options.get("faults")).toArray(FaultRate[]::new));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        System.out.println("SessionM simulator listening on " + simulator.baseUrl());
        Thread.currentThread().join();
    }

}
