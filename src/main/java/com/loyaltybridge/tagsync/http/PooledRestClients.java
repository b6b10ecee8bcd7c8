package com.loyaltybridge.tagsync.http;

import java.time.Duration;
import java.util.stream.Stream;

import ch.qos.logback.classic.LoggerContext;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The HTTP stack every client of an outside API shares (SessionM Core and Connect,
 * Braze): Apache HttpClient 5, blocking I/O on the calling thread, one pooled keep-alive
 * connection per request in flight, and nothing done behind the caller's back: no
 * automatic retries (the caller decides what may be sent again), no redirects, no
 * cookies, no cached authentication, no compression.
 *
 * <p>
 * HttpClient's own DEBUG logging prints request lines and headers, the Authorization
 * header among them, so a client refuses to be created while it is on.
 */
public final class PooledRestClients {

    /**
     * Apache HttpClient's loggers: at DEBUG they print request lines and headers,
     * Authorization included.
     */
    public static final String HTTP_CLIENT_LOGGERS = "org.apache.hc";

    /**
     * A pooled connection idle for longer is checked for a close by the server before it
     * carries a request.
     */
    private static final TimeValue STALE_CHECK_AFTER_IDLE = TimeValue.ofSeconds(1);

    private PooledRestClients() {
    }

    /**
     * @param maxConnections the requests that may be under way at once
     * @param requestTimeout how long a request may wait for its answer, and between two
     * packets of it
     * @param secretsAtRisk what HttpClient's DEBUG logging would write to the log, for
     * the refusal's message
     * @throws IllegalStateException if a logger under {@link #HTTP_CLIENT_LOGGERS} is at
     * DEBUG
     */
    public static RestClient create(int maxConnections, Duration connectTimeout, Duration requestTimeout,
            String secretsAtRisk) {
        refuseHttpClientDebugLogging(secretsAtRisk);
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(maxConnections)
            .setMaxConnPerRoute(maxConnections)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(requestTimeout))
                // A request on a connection the server closed while it was idle gets no
                // answer: its outcome
                // would be unknown (a SessionM counter tag left in doubt), or it would
                // cost a retry.
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
        // Not Boot's RestClient.Builder: its observations record full URLs (SessionM's
        // carry the API key) in traces.
        return RestClient.builder().requestFactory(requestFactory).build();
    }

    /**
     * Checks every logger set up so far under {@link #HTTP_CLIENT_LOGGERS} (in name
     * order), then what the client inherits.
     */
    private static void refuseHttpClientDebugLogging(String secretsAtRisk) {
        Stream<String> configured = LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
                ? logback.getLoggerList().stream().map(ch.qos.logback.classic.Logger::getName) : Stream.empty();
        Stream.concat(configured, Stream.of(HTTP_CLIENT_LOGGERS + ".client5.http"))
            .filter(name -> name.startsWith(HTTP_CLIENT_LOGGERS))
            .filter(name -> LoggerFactory.getLogger(name).isDebugEnabled())
            .findFirst()
            .ifPresent(name -> {
                throw new IllegalStateException("Logger " + name + " at DEBUG would write " + secretsAtRisk
                        + " to the log: set logging.level." + name + " to INFO");
            });
    }

}
