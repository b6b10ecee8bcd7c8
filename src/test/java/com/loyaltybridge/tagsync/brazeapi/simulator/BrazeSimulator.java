package com.loyaltybridge.tagsync.brazeapi.simulator;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.support.JettyConnections;

/**
 * A stand-in for Braze's {@code POST /users/track} on 127.0.0.1, with faults programmable
 * per test.
 *
 * <p>
 * As Braze: {@code Authorization: Bearer <key>} or 401; more than
 * {@linkplain #maxObjectsPerRequest 75} objects in {@code attributes}, {@code events} and
 * {@code purchases} together: 400 {@code {"message":"Max Input Length Exceeded"}},
 * nothing processed; otherwise each attribute object is processed on its own: one without
 * an identifier, or for a user {@linkplain #rejectUser marked}, is named in an
 * {@code errors} array ({@code type}, {@code input_array}, {@code index}) of a success
 * answer, the others are set on the user's profile (a null removes the attribute). Every
 * answer carries {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (UTC
 * epoch seconds) of a fixed window, 3,000 requests per 3 seconds unless
 * {@linkplain #rateLimit set}; beyond it, 429.
 *
 * <p>
 * It records what it was sent: every request, and every attribute object it processed, as
 * it arrived, so a test can assert exactly what Braze received for each user. Built on
 * Jetty's core handlers without blocking a thread per request, so it also serves
 * benchmarks from the command line ({@link #main}).
 */
public final class BrazeSimulator implements AutoCloseable {

    public static final String TRACK_PATH = "/users/track";
    static final int BRAZE_MAX_OBJECTS = 75;
    static final String MISSING_IDENTIFIER = "'external_id' or 'braze_id' or 'user_alias' is required";

    private static final List<String> IDENTIFIERS = List.of("external_id", "braze_id", "user_alias", "email", "phone");

    private final String expectedAuthorization;

    private final Server server;

    private final ServerConnector connector;

    private final Queue<TrackRequest> requests = new ConcurrentLinkedQueue<>();

    private final Queue<JsonNode> processed = new ConcurrentLinkedQueue<>();

    private final Map<String, ObjectNode> profiles = new ConcurrentHashMap<>();

    private final Map<String, String> rejectedUsers = new ConcurrentHashMap<>();

    private final Queue<BrazeFault> faults = new ConcurrentLinkedQueue<>();

    private final LongAdder processedCount = new LongAdder();

    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicInteger maxInFlight = new AtomicInteger();

    private volatile int maxObjects = BRAZE_MAX_OBJECTS;

    private volatile RateWindow rateWindow = RateWindow.braze();

    private volatile int keyRefusal;

    private volatile Duration latency = Duration.ZERO;

    private volatile boolean recording = true;

    private volatile boolean keepingProfiles = true;

    private volatile Consumer<TrackRequest> onRequest = request -> {
    };

    private BrazeSimulator(String apiKey, int port) throws Exception {
        this.expectedAuthorization = "Bearer " + apiKey;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("braze-simulator");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new TrackHandler());
        server.setStopTimeout(0);
        server.start();
    }

    /**
     * Starts a simulator on 127.0.0.1 on a random free port, accepting {@code apiKey}.
     */
    public static BrazeSimulator start(String apiKey) {
        return start(apiKey, 0);
    }

    /** Starts a simulator on 127.0.0.1 on {@code port} (0 for a random free one). */
    public static BrazeSimulator start(String apiKey, int port) {
        try {
            return new BrazeSimulator(apiKey, port);
        }
        catch (Exception e) {
            throw new IllegalStateException("Braze simulator did not start", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the value for {@code braze.rest.endpoint}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        }
        catch (Exception e) {
            throw new IllegalStateException("Braze simulator did not stop", e);
        }
    }

    /**
     * Back to a fresh simulator: no profiles, requests, faults, rejections or latency;
     * Braze's own limits.
     */
    public void reset() {
        requests.clear();
        processed.clear();
        profiles.clear();
        rejectedUsers.clear();
        faults.clear();
        processedCount.reset();
        maxInFlight.set(inFlight.get());
        maxObjects = BRAZE_MAX_OBJECTS;
        rateWindow = RateWindow.braze();
        keyRefusal = 0;
        latency = Duration.ZERO;
        recording = true;
        keepingProfiles = true;
        onRequest = request -> {
        };
    }

    // ---- what was received and processed

    /**
     * Every {@code /users/track} request received, in arrival order (while recording).
     */
    public List<TrackRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Every attribute object processed, exactly as received (identifier and options
     * included), in order.
     */
    public List<JsonNode> attributeObjects() {
        return List.copyOf(processed);
    }

    /**
     * The attribute objects processed for one user, e.g. {@code ("external_id", "u-1")},
     * in arrival order.
     */
    public List<JsonNode> attributeObjectsFor(String identifierField, String id) {
        List<JsonNode> forUser = new ArrayList<>();
        for (JsonNode object : processed) {
            if (id.equals(object.path(identifierField).asString(null))) {
                forUser.add(object);
            }
        }
        return forUser;
    }

    /**
     * The custom attributes a user's profile holds now: every processed object applied in
     * order.
     */
    public Map<String, JsonNode> profile(String identifierField, String id) {
        ObjectNode profile = profiles.get(identifierField + ":" + id);
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        if (profile != null) {
            synchronized (profile) {
                profile.properties().forEach(entry -> attributes.put(entry.getKey(), entry.getValue().deepCopy()));
            }
        }
        return attributes;
    }

    /** Attribute objects processed, recorded or not. */
    public long processedCount() {
        return processedCount.sum();
    }

    /** The most requests handled at once since start or {@link #reset()}. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /**
     * Turns recording off for long benchmarks, where keeping every request would fill the
     * heap.
     */
    public void record(boolean record) {
        this.recording = record;
    }

    /**
     * Turns the profiles off for long benchmarks, which need only
     * {@link #processedCount}: a million members' profiles take gigabytes. Off,
     * {@link #profile} finds nothing.
     */
    public void keepProfiles(boolean keep) {
        this.keepingProfiles = keep;
    }

    /**
     * {@code listener} hears of every {@code /users/track} request on arrival, recorded
     * or not (its body left out when not recording), on a server thread.
     */
    public void onRequest(Consumer<TrackRequest> listener) {
        this.onRequest = listener;
    }

    // ---- behaviour

    /**
     * Caps the objects of one request (Braze: 75, or 50 for accounts on the newer
     * package).
     */
    public void maxObjectsPerRequest(int max) {
        this.maxObjects = max;
    }

    /**
     * Names this user's attribute objects in {@code errors} with {@code message} instead
     * of processing them.
     */
    public void rejectUser(String identifierField, String id, String message) {
        rejectedUsers.put(identifierField + ":" + id, message);
    }

    /**
     * A fixed window of {@code requests} per {@code window}, reported in the rate-limit
     * headers; 429 beyond.
     */
    public void rateLimit(int requests, Duration window) {
        this.rateWindow = new RateWindow(requests, window.toMillis());
    }

    /** Faults for the next requests, one per request in order. */
    public void enqueue(BrazeFault... faults) {
        this.faults.addAll(List.of(faults));
    }

    /** From now on every request is answered 401: a wrong key or the wrong instance. */
    public void revokeKey() {
        keyRefusal = 401;
    }

    /**
     * From now on every request is answered 403 {@code Access Denied}: the key lacks
     * {@code users.track}.
     */
    public void denyAccess() {
        keyRefusal = 403;
    }

    /**
     * Every answer is sent {@code latency} after the request arrived (processed on
     * arrival).
     */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    // ---- the endpoint

    private final class TrackHandler extends Handler.Abstract.NonBlocking {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long receivedNanos = System.nanoTime();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            if (!TRACK_PATH.equals(request.getHttpURI().getPath()) || !"POST".equals(request.getMethod())) {
                answer(request, response, callback,
                        new BrazeFault.Answer(404, "{\"message\":\"Not Found\"}", Map.of(), "application/json"), null,
                        Duration.ZERO);
                return true;
            }
            Content.Source.asStringAsync(request, StandardCharsets.UTF_8).whenComplete((body, failure) -> {
                if (failure != null) {
                    inFlight.decrementAndGet();
                    callback.failed(failure);
                }
                else {
                    handle(request, response, callback, body, receivedNanos);
                }
            });
            return true;
        }

        private void handle(Request request, Response response, Callback callback, String body, long receivedNanos) {
            JsonNode json = parse(body);
            boolean record = recording;
            TrackRequest received = new TrackRequest(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                    request.getHeaders().get(HttpHeader.CONTENT_TYPE), record ? body : null,
                    json.isObject() ? json.path("attributes").size() : -1, receivedNanos, System.currentTimeMillis());
            if (record) {
                requests.add(received);
            }
            onRequest.accept(received);
            int refusal = keyRefusal;
            if (refusal != 0 || !expectedAuthorization.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                answer(request, response, callback,
                        refusal == 403 ? fatal(403, "Access Denied") : fatal(401, "Unauthorized"), null, Duration.ZERO);
                return;
            }
            Admission admission = rateWindow.admit(System.currentTimeMillis());
            if (!admission.admitted()) {
                answer(request, response, callback, fatal(429, "Rate Limited"), admission, Duration.ZERO);
                return;
            }
            BrazeFault fault = faults.poll();
            if (fault instanceof BrazeFault.Answer answer) {
                answer(request, response, callback, answer, admission, Duration.ZERO);
            }
            else if (fault instanceof BrazeFault.Reset) {
                inFlight.decrementAndGet();
                JettyConnections.reset(request, callback);
            }
            else if (fault instanceof BrazeFault.ProcessThenDelay delayed) {
                answer(request, response, callback, process(json), admission, delayed.delay());
            }
            else if (fault instanceof BrazeFault.ProcessThenHold held) {
                BrazeFault.Answer answer = process(json);
                held.release()
                    .whenComplete((released, failure) -> answer(request, response, callback, answer, admission,
                            Duration.ZERO));
            }
            else {
                answer(request, response, callback, process(json), admission, Duration.ZERO);
            }
        }

        private void answer(Request request, Response response, Callback callback, BrazeFault.Answer answer,
                Admission admission, Duration delay) {
            Runnable send = () -> {
                inFlight.decrementAndGet();
                response.setStatus(answer.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
                if (admission != null) {
                    response.getHeaders().put("X-RateLimit-Limit", Integer.toString(admission.limit()));
                    response.getHeaders().put("X-RateLimit-Remaining", Integer.toString(admission.remaining()));
                    response.getHeaders().put("X-RateLimit-Reset", Long.toString(admission.resetEpochSeconds()));
                }
                answer.headers().forEach(response.getHeaders()::put);
                response.write(true, StandardCharsets.UTF_8.encode(answer.body()), callback);
            };
            Duration wait = latency.plus(delay);
            if (wait.isZero()) {
                send.run();
            }
            else {
                request.getComponents().getScheduler().schedule(send, wait);
            }
        }

    }

    /**
     * What Braze would do with the body: check its size, then process each attribute
     * object on its own.
     */
    private BrazeFault.Answer process(JsonNode body) {
        if (!body.isObject()) {
            return fatal(400, "Bad Request");
        }
        int objects = 0;
        for (String array : List.of("attributes", "events", "purchases")) {
            JsonNode items = body.path(array);
            if (!items.isMissingNode() && !items.isArray()) {
                return fatal(400, "Bad Request");
            }
            objects += items.size();
        }
        if (objects > maxObjects) {
            return fatal(400, "Max Input Length Exceeded");
        }
        ObjectNode answer = JsonMapper.shared().createObjectNode();
        answer.put("message", "success");
        ArrayNode errors = JsonMapper.shared().createArrayNode();
        int done = 0;
        JsonNode attributes = body.path("attributes");
        for (int index = 0; index < attributes.size(); index++) {
            JsonNode object = attributes.get(index);
            String user = userKey(object);
            String rejection = user == null ? MISSING_IDENTIFIER : rejectedUsers.get(user);
            if (rejection != null) {
                errors.addObject().put("type", rejection).put("input_array", "attributes").put("index", index);
                continue;
            }
            apply(user, (ObjectNode) object);
            done++;
        }
        answer.put("attributes_processed", done);
        if (!errors.isEmpty()) {
            answer.set("errors", errors);
        }
        return new BrazeFault.Answer(201, JsonMapper.shared().writeValueAsString(answer), Map.of(), "application/json");
    }

    private void apply(String user, ObjectNode object) {
        processedCount.increment();
        if (recording) {
            processed.add(object.deepCopy());
        }
        if (!keepingProfiles) {
            return;
        }
        ObjectNode profile = profiles.computeIfAbsent(user, key -> JsonMapper.shared().createObjectNode());
        synchronized (profile) {
            object.properties().forEach(entry -> {
                String name = entry.getKey();
                if (IDENTIFIERS.contains(name) || name.startsWith("_") || name.equals("update_existing_only")) {
                    return;
                }
                if (entry.getValue().isNull()) {
                    profile.remove(name);
                }
                else {
                    profile.set(name, entry.getValue().deepCopy());
                }
            });
        }
    }

    /**
     * {@code external_id:u-1}, {@code braze_id:...}: the first identifier the object has;
     * null when it has none.
     */
    private static String userKey(JsonNode object) {
        if (!object.isObject()) {
            return null;
        }
        for (String field : IDENTIFIERS) {
            JsonNode id = object.path(field);
            if (id.isString() && !id.asString().isEmpty()) {
                return field + ":" + id.asString();
            }
            if (id.isObject()) {
                return field + ":" + id.path("alias_label").asString("") + "/" + id.path("alias_name").asString("");
            }
        }
        return null;
    }

    private static BrazeFault.Answer fatal(int status, String message) {
        return new BrazeFault.Answer(status, "{\"message\":\"" + message + "\"}", Map.of(), "application/json");
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode json = JsonMapper.shared().readTree(body);
            return json == null ? MissingNode.getInstance() : json;
        }
        catch (JacksonException notJson) {
            return MissingNode.getInstance();
        }
    }

    /** Whether a request fits in the current window, and the headers that say so. */
    record Admission(boolean admitted, int limit, int remaining, long resetEpochSeconds) {
    }

    /**
     * A fixed window of {@code limit} requests per {@code windowMillis}, aligned on the
     * epoch, as Braze counts.
     */
    private static final class RateWindow {

        private final int limit;

        private final long windowMillis;

        private long window = -1;

        private int used;

        RateWindow(int limit, long windowMillis) {
            this.limit = limit;
            this.windowMillis = windowMillis;
        }

        static RateWindow braze() {
            return new RateWindow(3_000, 3_000);
        }

        synchronized Admission admit(long nowMillis) {
            long current = nowMillis / windowMillis;
            if (current != window) {
                window = current;
                used = 0;
            }
            boolean admitted = used < limit;
            if (admitted) {
                used++;
            }
            long resetEpochSeconds = Math.floorDiv((current + 1) * windowMillis + 999, 1000);
            return new Admission(admitted, limit, limit - used, resetEpochSeconds);
        }

    }

    /**
     * Runs a simulator until the process is stopped, printing
     * {@code Braze simulator listening on URL} once ready. Options: {@code --port N} (0:
     * any free port; default 8091), {@code --api-key K}, {@code --latency-ms N},
     * {@code --rate-limit N} (requests per 3-second window; default 3000),
     * {@code --request-log FILE} (a line per request on arrival: epoch milliseconds and
     * attribute objects, tab-separated). Nothing is recorded and no profile is kept: a
     * benchmark needs the requests' times and counts, not what they set.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        BrazeSimulator simulator = start(options.getOrDefault("api-key", "bench-braze-key"),
                Integer.parseInt(options.getOrDefault("port", "8091")));
        simulator.record(false);
        simulator.keepProfiles(false);
        simulator.latency(Duration.ofMillis(Long.parseLong(options.getOrDefault("latency-ms", "0"))));
        simulator.rateLimit(Integer.parseInt(options.getOrDefault("rate-limit", "3000")), Duration.ofSeconds(3));
        String requestLog = options.get("request-log");
        if (requestLog != null) {
            PrintWriter log = new PrintWriter(Files.newBufferedWriter(Path.of(requestLog)));
            simulator.onRequest(request -> {
                synchronized (log) {
                    log.print(request.receivedMillis() + "\t" + request.attributeObjects() + "\n");
                    log.flush();
                }
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        System.out.println("Braze simulator listening on " + simulator.baseUrl());
        Thread.currentThread().join();
    }

}
