package com.loyaltybridge.tagsync.sessionm.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.sessionm.simulator.SimulatorStats.TagPosts;

/**
 * The simulator's customers and their tags, with SessionM's semantics: counters add 1,
 * TTL tags are set.
 */
final class CustomerStore {

    private final Clock clock = Clock.systemUTC();

    private final ConcurrentMap<Customer, ConcurrentMap<String, TagState>> tags = new ConcurrentHashMap<>();

    private final ConcurrentMap<TagKey, PostCounts> posts = new ConcurrentHashMap<>();

    private final Set<String> unknownIdentifiers = ConcurrentHashMap.newKeySet();

    boolean exists(String identifier) {
        return !unknownIdentifiers.contains(identifier);
    }

    void markUnknown(String... identifiers) {
        unknownIdentifiers.addAll(List.of(identifiers));
    }

    /** One applied create-or-increment call. */
    void apply(IdentifierType type, String identifier, List<String> tagNames, Long ttlSeconds) {
        ConcurrentMap<String, TagState> held = tags.computeIfAbsent(new Customer(type, identifier),
                customer -> new ConcurrentHashMap<>());
        for (String tag : tagNames) {
            if (ttlSeconds == null) {
                held.merge(tag, new TagState(1, null), (old, one) -> new TagState(old.count() + 1, null));
            }
            else {
                held.put(tag, new TagState(0, clock.instant().plusSeconds(ttlSeconds)));
            }
            counts(type, identifier, tag).applied().increment();
        }
    }

    /** One POST received for the customer, whatever becomes of it. */
    void received(IdentifierType type, String identifier, List<String> tagNames) {
        tagNames.forEach(tag -> counts(type, identifier, tag).received().increment());
    }

    private PostCounts counts(IdentifierType type, String identifier, String tag) {
        return posts.computeIfAbsent(new TagKey(type, identifier, tag),
                key -> new PostCounts(new LongAdder(), new LongAdder()));
    }

    void preload(IdentifierType type, String identifier, String tag, int count) {
        tags.computeIfAbsent(new Customer(type, identifier), customer -> new ConcurrentHashMap<>())
            .put(tag, new TagState(count, null));
    }

    /** Counter tags and their counts. */
    Map<String, Integer> counts(IdentifierType type, String identifier) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        tags.getOrDefault(new Customer(type, identifier), new ConcurrentHashMap<>()).forEach((tag, state) -> {
            if (state.expiresAt() == null) {
                counts.put(tag, state.count());
            }
        });
        return counts;
    }

    /**
     * The tags as the GET answer lists them: counters with {@code count}, live TTL tags
     * with {@code ttl} left.
     */
    List<Map<String, Object>> view(IdentifierType type, String identifier) {
        Instant now = clock.instant();
        List<Map<String, Object>> view = new ArrayList<>();
        tags.getOrDefault(new Customer(type, identifier), new ConcurrentHashMap<>()).forEach((tag, state) -> {
            if (state.expiresAt() == null) {
                view.add(entry(tag, "count", state.count()));
            }
            else if (state.expiresAt().isAfter(now)) {
                view.add(entry(tag, "ttl", Duration.between(now, state.expiresAt()).toSeconds()));
            }
        });
        return view;
    }

    private static Map<String, Object> entry(String tag, String field, Object value) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", tag);
        entry.put(field, value);
        return entry;
    }

    List<TagPosts> tagPosts() {
        return posts.entrySet()
            .stream()
            .map(entry -> new TagPosts(entry.getKey().type(), entry.getKey().identifier(), entry.getKey().tag(),
                    entry.getValue().received().sum(), entry.getValue().applied().sum()))
            .sorted(Comparator.comparing(TagPosts::identifier).thenComparing(TagPosts::tag))
            .toList();
    }

    void clear() {
        tags.clear();
        posts.clear();
        unknownIdentifiers.clear();
    }

    private record Customer(IdentifierType type, String identifier) {
    }

    private record TagKey(IdentifierType type, String identifier, String tag) {
    }

    private record PostCounts(LongAdder received, LongAdder applied) {
    }

    /** A counter ({@code expiresAt} null) or a TTL tag. */
    private record TagState(int count, Instant expiresAt) {
    }

}
