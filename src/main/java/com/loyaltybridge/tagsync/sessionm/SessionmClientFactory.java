package com.loyaltybridge.tagsync.sessionm;

import java.util.stream.Stream;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds a {@link SessionmClient} and what it calls SessionM with: the pooled Apache HttpClient behind a
 * {@link RestClient}, the retry template, and, before any of it, the refusal to run with the HTTP client's DEBUG
 * logging, which would print the API key and the credentials. The client itself keeps only the delivery logic.
 */
public final class SessionmClientFactory {

    /** Retries are logged as the client's: they are part of one customer's delivery. */
    private static final Logger log = LoggerFactory.getLogger(SessionmClient.class);

    /**
     * Apache HttpClient's loggers: at DEBUG they print request lines, whose path holds the API key, and headers,
     * the Authorization header among them.
     */
    static final String HTTP_CLIENT_LOGGERS = "org.apache.hc";

    /** A pooled connection idle for longer is checked for a close by the server before it carries a request. */
    private static final TimeValue STALE_CHECK_AFTER_IDLE = TimeValue.ofSeconds(1);

    private SessionmClientFactory() {
    }

    /** A client with its own connection pool and retries; its metrics go to {@code meterRegistry}. */
    public static SessionmClient client(SessionmSettings settings, RequestThrottle throttle, MeterRegistry meterRegistry) {
        SessionmMetrics metrics = new SessionmMetrics(meterRegistry);
        return new SessionmClient(settings, throttle, restClient(settings), retryTemplate(settings, metrics), metrics);
    }

    static RestClient restClient(SessionmSettings settings) {
        refuseHttpClientDebugLogging();
        // Blocking I/O on the sending thread: no hand-off to other threads per request, one pooled keep-alive
        // connection per request in flight, and no automatic retries (a resent POST may apply a counter tag twice).
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxInFlight())
                .setMaxConnPerRoute(settings.maxInFlight())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.requestTimeout()))
                        // A POST on a connection the server closed while it was idle gets no answer: its outcome
                        // would be unknown, and a counter tag the customer already held would be left in doubt.
                        .setValidateAfterInactivity(STALE_CHECK_AFTER_IDLE)
                        .build())
                .build();
        CloseableHttpClient httpClient = HttpClients.custom()
                .setConnectionManager(connections)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
        HttpComponentsClientHttpRequestFactory requestFactory = new HttpComponentsClientHttpRequestFactory(httpClient);
        // Not Boot's RestClient.Builder: its observations record the full URL, API key included, in traces.
        return RestClient.builder().requestFactory(requestFactory).build();
    }

    /** Checks every logger set up so far under {@link #HTTP_CLIENT_LOGGERS} (in name order), then what the client inherits. */
    private static void refuseHttpClientDebugLogging() {
        Stream<String> configured = LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
                ? logback.getLoggerList().stream().map(ch.qos.logback.classic.Logger::getName) : Stream.empty();
        Stream.concat(configured, Stream.of(HTTP_CLIENT_LOGGERS + ".client5.http"))
                .filter(name -> name.startsWith(HTTP_CLIENT_LOGGERS))
                .filter(name -> LoggerFactory.getLogger(name).isDebugEnabled())
                .findFirst()
                .ifPresent(name -> {
                    throw new IllegalStateException("Logger " + name + " at DEBUG would write the SessionM API key and"
                            + " credentials (request paths and the Authorization header) to the log: set logging.level."
                            + name + " to INFO");
                });
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
