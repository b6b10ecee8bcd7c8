package com.loyaltybridge.tagsync.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.loyaltybridge.tagsync.cli.CommandLineInterface;

/**
 * {@code serve} in this JVM on a free port, its console over plain HTTP (the session
 * cookie not Secure), and a plain HTTP client that sends exactly what it is given: no
 * redirects followed, no cookies but those named.
 */
final class ConsoleServer implements AutoCloseable {

    static final String VIEWER_SECRET = "viewer-secret-for-console-tests-0123";
    static final String OPERATOR_SECRET = "operator-secret-for-console-tests-0123";
    static final String BRAZE_SECRET = "braze-secret-for-console-tests-0123";

    private final ConfigurableApplicationContext context;

    private final String base;

    private final HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();

    private ConsoleServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static ConsoleServer start(Map<String, String> properties) {
        List<String> args = new ArrayList<>(List.of("serve", "--server.port=0", "--api.viewer-token=" + VIEWER_SECRET,
                "--api.operator-token=" + OPERATOR_SECRET, "--api.braze-token=" + BRAZE_SECRET,
                "--console.secure-cookie=false", "--console.progress-refresh=1s"));
        properties.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new ConsoleServer(CommandLineInterface.startServer(args.toArray(String[]::new)));
    }

    String base() {
        return base;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    /** A form POST, as a page's form would send it. */
    HttpResponse<String> postForm(String path, Map<String, String> fields, Map<String, String> headers) {
        String body = fields.entrySet()
            .stream()
            .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** A JSON POST to the REST API with a client's secret as bearer token. */
    HttpResponse<String> postApi(String path, String json, String secret) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + secret)
            .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

}
