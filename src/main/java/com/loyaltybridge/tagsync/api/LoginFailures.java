package com.loyaltybridge.tagsync.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Failed logins to the API: each is logged once (who it claimed to be, the source
 * address; never the secret) and counted ({@code tagsync.api.login.failures}), and
 * failures are remembered per source address for {@code api.login-failure-window}: after
 * {@code api.max-login-failures} of them, requests with credentials from that address are
 * refused (429) until the window, counted from its first failure, has passed.
 * <p>
 * At most {@value #MAX_ADDRESSES} addresses are remembered, the oldest window forgotten
 * first: a flood from many addresses cannot grow this without bound (each entry is a few
 * dozen bytes). The JDK's insertion-ordered map is the whole of it; a cache library would
 * add a dependency for twenty lines.
 */
public final class LoginFailures {

    static final int MAX_ADDRESSES = 10_000;

    private static final Logger log = LoggerFactory.getLogger(LoginFailures.class);

    private final int maxFailures;

    private final long windowNanos;

    private final Counter failures;

    private final Map<String, Window> byAddress = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginFailures(ApiSettings settings, MeterRegistry registry) {
        this.maxFailures = settings.maxLoginFailures();
        this.windowNanos = settings.loginFailureWindow().toNanos();
        this.failures = Counter.builder("tagsync.api.login.failures")
            .description("Requests to the API whose credentials were refused")
            .register(registry);
    }

    /**
     * One failed login from {@code address}; {@code who} says what was presented, in
     * words of ours (never its secret).
     */
    public void record(String address, String who) {
        failures.increment();
        int count;
        synchronized (byAddress) {
            long now = System.nanoTime();
            Window window = byAddress.get(address);
            if (window == null || window.endedAt(now, windowNanos)) {
                byAddress.remove(address);
                window = new Window(now);
                byAddress.put(address, window);
            }
            count = ++window.failures;
        }
        long windowSeconds = Duration.ofNanos(windowNanos).toSeconds();
        log.warn("API login failed from {}: {} ({} of {} failures allowed in {} s from one address)", address, who,
                count, maxFailures, windowSeconds);
        if (count == maxFailures) {
            log.warn(
                    "API requests with credentials from {} are refused for the rest of those {} s after {} failed logins",
                    address, windowSeconds, count);
        }
    }

    /**
     * How long requests with credentials from {@code address} are still refused; empty
     * when they are not.
     */
    public Optional<Duration> refusedFor(String address) {
        synchronized (byAddress) {
            long now = System.nanoTime();
            Window window = byAddress.get(address);
            if (window == null || window.endedAt(now, windowNanos)) {
                return Optional.empty();
            }
            return window.failures < maxFailures ? Optional.empty()
                    : Optional.of(Duration.ofNanos(window.start + windowNanos - now));
        }
    }

    private static final class Window {

        private final long start;

        private int failures;

        Window(long start) {
            this.start = start;
        }

        boolean endedAt(long now, long length) {
            return now - start >= length;
        }

    }

}
