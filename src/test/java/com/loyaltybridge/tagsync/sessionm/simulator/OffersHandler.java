package com.loyaltybridge.tagsync.sessionm.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import com.loyaltybridge.tagsync.sessionm.simulator.OfferWallets.Wallet;
import com.loyaltybridge.tagsync.support.JettyConnections;

/**
 * SessionM Connect's {@code get_user_offers} as the simulator serves it, in front of the
 * tags endpoints (every other request goes on to them). Pages are cut with
 * {@code skip}/{@code take}; the answer carries the fields of Braze's SessionM guide
 * ({@code user}, {@code user_offers}, {@code total_records}, {@code offer_groups},
 * {@code offer_categories}, the points) and one no client knows of. The simulator's
 * latency, rate limit and counters apply as to the tags endpoints. Nothing here blocks a
 * Jetty thread.
 */
final class OffersHandler extends Handler.Wrapper {

    static final String PATH = "/offers/api/2.0/offers/get_user_offers";

    private final SessionmSimulator simulator;

    private final OfferWallets wallets = new OfferWallets();

    OffersHandler(SessionmSimulator simulator, Handler next) {
        super(next);
        this.simulator = simulator;
    }

    OfferWallets wallets() {
        return wallets;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(request.getHttpURI().getPath())) {
            return super.handle(request, response, callback);
        }
        long receivedNanos = System.nanoTime();
        simulator.counters().started();
        Content.Source.asStringAsync(request, StandardCharsets.UTF_8).whenComplete((body, failure) -> {
            if (failure != null) {
                simulator.counters().finished();
                callback.failed(failure);
            }
            else {
                handle(new Exchange(request, response, callback), body, receivedNanos);
            }
        });
        return true;
    }

    private void handle(Exchange exchange, String body, long receivedNanos) {
        JsonNode json = parse(body);
        String userId = json.path("user_id").isString() ? json.path("user_id").asString() : null;
        wallets.record(new OffersRequest(userId, json.path("skip").asInt(-1), json.path("take").asInt(-1),
                json.path("culture").asString(null), json.path("retailer_id").asString(null),
                exchange.request.getHeaders().get(HttpHeader.AUTHORIZATION),
                exchange.request.getHeaders().get(HttpHeader.CONTENT_TYPE), body, receivedNanos));
        if (!"POST".equals(exchange.request.getMethod())) {
            exchange.answer(405, SessionmSimulator.errorBody("method_not_allowed"));
            return;
        }
        if (!wallets.accepts(exchange.request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            exchange.answer(401, SessionmSimulator.errorBody("unauthorized"));
            return;
        }
        if (userId == null || !json.path("skip").canConvertToInt() || !json.path("take").canConvertToInt()) {
            exchange.answer(400, SessionmSimulator.errorBody("validation"));
            return;
        }
        if (!wallets.retailerId().equals(json.path("retailer_id").asString(""))) {
            exchange.answer(400, SessionmSimulator.errorBody("invalid_retailer"));
            return;
        }
        long retryAfter = simulator.rateLimitSecondsToWait(receivedNanos);
        if (retryAfter > 0) {
            exchange.answer(Fault.tooManyRequests(Long.toString(retryAfter)), Duration.ZERO);
            return;
        }
        Fault fault = wallets.nextFault(userId);
        if (fault instanceof Fault.Answer answer) {
            exchange.answer(answer, Duration.ZERO);
        }
        else if (fault instanceof Fault.ResetBeforeApply || fault instanceof Fault.ResetAfterApply) {
            exchange.reset();
        }
        else if (fault instanceof Fault.ApplyThenDelay delayed) {
            exchange.answer(page(userId, json), delayed.delay());
        }
        else if (fault instanceof Fault.Hang) {
            // Never answered: the client's request timeout ends it, or the simulator's
            // stop.
            simulator.counters().finished();
        }
        else {
            exchange.answer(page(userId, json), Duration.ZERO);
        }
    }

    /**
     * What SessionM would answer: the page of the user's wallet that {@code skip} and
     * {@code take} ask for.
     */
    private Fault.Answer page(String userId, JsonNode request) {
        if (!wallets.knows(userId)) {
            return Fault.status(404, SessionmSimulator.errorBody("user_not_found"), Map.of());
        }
        Wallet wallet = wallets.wallet(userId);
        int skip = Math.max(0, request.path("skip").asInt());
        int take = Math.max(0, request.path("take").asInt());
        List<JsonNode> offers = wallet.offers();
        List<JsonNode> page = offers.subList(Math.min(skip, offers.size()), Math.min(skip + take, offers.size()));
        ObjectNode answer = JsonMapper.shared().createObjectNode();
        answer.put("status", "ok");
        ObjectNode payload = answer.putObject("payload");
        ObjectNode user = payload.putObject("user");
        user.put("opted_in", true);
        user.put("activated", true);
        payload.put("user_id", userId);
        ArrayNode userOffers = payload.putArray("user_offers");
        page.forEach(userOffers::add);
        payload.put("total_records", offers.size());
        payload.putArray("offer_groups")
            .addObject()
            .put("id", "00000000-0000-0000-0000-000000000001")
            .put("name", "All Offers")
            .put("sort_order", 0);
        payload.putArray("offer_categories")
            .addObject()
            .put("id", "00000000-0000-0000-0000-000000000002")
            .put("name", "All Offers")
            .put("sort_order", 0);
        if (wallet.totalPoints() != null) {
            payload.set("total_points", wallet.totalPoints());
        }
        if (wallet.availablePoints() != null) {
            payload.set("available_points", wallet.availablePoints());
        }
        payload.putObject("loyalty_tier_preview").put("name", "a field no client asked for");
        return Fault.status(200, JsonMapper.shared().writeValueAsString(answer), Map.of());
    }

    void reset() {
        wallets.reset();
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

    /** One request on its way through the handler. */
    private final class Exchange {

        final Request request;

        final Response response;

        final Callback callback;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void answer(int status, String body) {
            answer(Fault.status(status, body, Map.of()), Duration.ZERO);
        }

        void answer(Fault.Answer answer, Duration delay) {
            Duration wait = simulator.latency().plus(delay);
            Runnable send = () -> {
                simulator.counters().finished();
                simulator.counters().answered(Integer.toString(answer.status()));
                response.setStatus(answer.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
                answer.headers().forEach(response.getHeaders()::put);
                response.write(true, StandardCharsets.UTF_8.encode(answer.body()), callback);
            };
            if (wait.isZero()) {
                send.run();
            }
            else {
                request.getComponents().getScheduler().schedule(send, wait);
            }
        }

        void reset() {
            simulator.counters().finished();
            simulator.counters().answered("reset");
            JettyConnections.reset(request, callback);
        }

    }

}
