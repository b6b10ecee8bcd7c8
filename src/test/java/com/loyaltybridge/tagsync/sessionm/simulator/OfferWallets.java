package com.loyaltybridge.tagsync.sessionm.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the {@link SessionmSimulator}'s SessionM Connect side knows and does: the offer
 * wallets it serves through {@code POST /offers/api/2.0/offers/get_user_offers}, the
 * credentials it accepts, its faults and the requests it received. A user without a
 * wallet {@linkplain #put put} here has an empty one, unless {@linkplain #unknownUsers
 * marked unknown} (404 {@code user_not_found}).
 */
public final class OfferWallets {

    /**
     * The Connect authorization string accepted until {@link #expectCredentials} says
     * otherwise.
     */
    public static final String DEFAULT_AUTHORIZATION = "Y29ubmVjdC11c2VyOmNvbm5lY3QtcGFzc3dvcmQ=";

    public static final String DEFAULT_RETAILER_ID = "7d2c0f4e-5b1a-4c3e-9f00-00000000c0de";

    private volatile String authorization = DEFAULT_AUTHORIZATION;

    private volatile String retailerId = DEFAULT_RETAILER_ID;

    private volatile boolean credentialsRevoked;

    private final Map<String, Wallet> wallets = new ConcurrentHashMap<>();

    private final Set<String> unknownUsers = ConcurrentHashMap.newKeySet();

    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();

    private final Map<String, Queue<Fault>> faultsByUser = new ConcurrentHashMap<>();

    private final Queue<OffersRequest> requests = new ConcurrentLinkedQueue<>();

    private volatile Wallet everyone = Wallet.of(0, 0);

    private volatile boolean recording = true;

    OfferWallets() {
    }

    /**
     * A wallet: its offers in the order SessionM returns them, and the point balances
     * (null: left out).
     */
    public record Wallet(List<JsonNode> offers, JsonNode availablePoints, JsonNode totalPoints) {

        public Wallet {
            offers = List.copyOf(offers);
        }

        public static Wallet of(int availablePoints, int totalPoints, JsonNode... offers) {
            return new Wallet(List.of(offers), IntNode.valueOf(availablePoints), IntNode.valueOf(totalPoints));
        }

        /**
         * {@code count} offers {@code offer-1}...{@code offer-N}, the later ones expiring
         * sooner.
         */
        public static Wallet generated(int count, int availablePoints, int totalPoints) {
            return new Wallet(IntStream.rangeClosed(1, count)
                .mapToObj(i -> (JsonNode) offer("offer-" + i, "Offer " + i,
                        String.format("2027-%02d-%02dT00:00:00Z", 12 - (i % 12), 28 - (i % 28))))
                .toList(), IntNode.valueOf(availablePoints), IntNode.valueOf(totalPoints));
        }
    }

    /**
     * An offer as SessionM's guide shows it ({@code offer_id}, {@code offer_group_id},
     * {@code offer_type}), with the fields its templates suggest and some no mapping asks
     * for.
     */
    public static ObjectNode offer(String offerId, String name, String expirationDate) {
        ObjectNode offer = JsonMapper.shared().createObjectNode();
        offer.put("offer_id", offerId);
        offer.put("user_offer_id", "uo-" + offerId);
        offer.put("offer_group_id", "00000000-0000-0000-0000-000000000001");
        offer.put("offer_type", "manual_fulfillment");
        offer.put("name", name);
        offer.put("description", "Description of " + name);
        offer.put("expiration_date", expirationDate);
        offer.put("pos_discount_id", "pos-" + offerId);
        offer.putObject("extended_data").put("internal_note", "not for Braze");
        return offer;
    }

    /** 200 with an HTML page: what a proxy or a wrong endpoint answers. */
    public static Fault.Answer notJson() {
        return new Fault.Answer(200, "<html><body>Service page</body></html>", Map.of(), false, "text/html");
    }

    /** The Connect credentials the simulator accepts from now on. */
    public void expectCredentials(String authorization, String retailerId) {
        this.authorization = authorization;
        this.retailerId = retailerId;
    }

    /**
     * The wallet of every user without one of its own {@linkplain #put put} here (at
     * first: an empty one).
     */
    public void everyoneHas(Wallet wallet) {
        this.everyone = wallet;
    }

    /**
     * Turns recording of requests off for long benchmarks, where keeping every request
     * would fill the heap.
     */
    public void record(boolean record) {
        this.recording = record;
    }

    public void put(String userId, Wallet wallet) {
        wallets.put(userId, wallet);
    }

    /**
     * These user ids answer 404
     * {@code {"status":"error","errors":{"code":"user_not_found"}}}.
     */
    public void unknownUsers(String... userIds) {
        Collections.addAll(unknownUsers, userIds);
    }

    /** Faults for the next requests, whoever they are for, one per request in order. */
    public void enqueue(Fault... faults) {
        Collections.addAll(this.faults, faults);
    }

    /**
     * Faults for the next requests for {@code userId}, one per request in order; they
     * come before {@link #enqueue}. {@link Fault#resetAfterApply()} and
     * {@link Fault#resetBeforeApply()} both reset the connection (a read applies
     * nothing), {@link Fault#applyThenDelay} answers late, {@link Fault#hang()} never
     * answers.
     */
    public void faultFor(String userId, Fault... faults) {
        Collections.addAll(faultsByUser.computeIfAbsent(userId, key -> new ConcurrentLinkedQueue<>()), faults);
    }

    /** From now on every request is answered 401. */
    public void revokeCredentials() {
        credentialsRevoked = true;
    }

    /** Every request received, in arrival order. */
    public List<OffersRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests received for one user, in arrival order. */
    public List<OffersRequest> requestsFor(String userId) {
        List<OffersRequest> forUser = new ArrayList<>();
        requests.stream().filter(request -> userId.equals(request.userId())).forEach(forUser::add);
        return forUser;
    }

    // ---- for the handler

    void record(OffersRequest request) {
        if (recording) {
            requests.add(request);
        }
    }

    boolean accepts(String authorizationHeader) {
        return !credentialsRevoked && ("Basic " + authorization).equals(authorizationHeader);
    }

    String retailerId() {
        return retailerId;
    }

    boolean knows(String userId) {
        return !unknownUsers.contains(userId);
    }

    Wallet wallet(String userId) {
        return wallets.getOrDefault(userId, everyone);
    }

    Fault nextFault(String userId) {
        Queue<Fault> forUser = faultsByUser.get(userId);
        Fault fault = forUser == null ? null : forUser.poll();
        if (fault == null) {
            fault = faults.poll();
        }
        return fault == null ? Fault.none() : fault;
    }

    void reset() {
        authorization = DEFAULT_AUTHORIZATION;
        retailerId = DEFAULT_RETAILER_ID;
        credentialsRevoked = false;
        wallets.clear();
        everyone = Wallet.of(0, 0);
        recording = true;
        unknownUsers.clear();
        faults.clear();
        faultsByUser.clear();
        requests.clear();
    }

}
