package com.loyaltybridge.tagsync.sessionm;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.web.client.RestClient;

import com.loyaltybridge.tagsync.http.PooledRestClients;

/**
 * Builds a {@link SessionmClient} and what it calls SessionM with: the pooled HTTP client
 * (see {@link PooledRestClients}, which also refuses to run with the HTTP client's DEBUG
 * logging, as it would print the API key and the credentials), the retry template, and
 * its meters, the in-flight limit's among them. The client itself keeps only the delivery
 * logic.
 */
public final class SessionmClientFactory {

    /** Retries are logged as the client's: they are part of one customer's delivery. */
    private static final Logger log = LoggerFactory.getLogger(SessionmClient.class);

    private SessionmClientFactory() {
    }

    /**
     * A client with its own connection pool and retries, under {@code limiter}; its
     * metrics go to {@code meterRegistry}.
     */
    public static SessionmClient client(SessionmSettings settings, RequestThrottle throttle, InFlightLimiter limiter,
            MeterRegistry meterRegistry) {
        SessionmMetrics metrics = new SessionmMetrics(meterRegistry);
        metrics.inFlight(limiter);
        return new SessionmClient(settings, throttle, limiter, restClient(settings), retryTemplate(settings, metrics),
                metrics);
    }

    static RestClient restClient(SessionmSettings settings) {
        // One pooled connection per call in flight, up to the in-flight bound (the
        // limiter decides how many are used);
        // no automatic retries: a resent POST may apply a counter tag twice.
        return PooledRestClients.create(settings.maxInFlight(), settings.connectTimeout(), settings.requestTimeout(),
                "the SessionM API key and credentials (request paths and the Authorization header)");
    }

    static RetryTemplate retryTemplate(SessionmSettings settings, SessionmMetrics metrics) {
        RetryTemplate template = new RetryTemplate(RetryPolicy.builder()
            .includes(SessionmClient.TransientFailure.class)
            .maxRetries(settings.maxRetries())
            .delay(settings.initialBackoff())
            .multiplier(2)
            .maxDelay(settings.maxBackoff())
            .jitter(settings.initialBackoff().dividedBy(2))
            .build());
        template.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                metrics.retry();
                log.info("Retrying tags of {} after {}", retryable.getName(), state.getLastException().getMessage());
            }
        });
        return template;
    }

}
