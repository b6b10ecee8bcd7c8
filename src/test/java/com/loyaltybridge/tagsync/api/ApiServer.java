package com.loyaltybridge.tagsync.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.loyaltybridge.tagsync.cli.CommandLineInterface;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application running {@code serve} in this JVM on a free port, and an HTTP client
 * that talks to it as a caller would.
 */
final class ApiServer implements AutoCloseable {

    static final String VIEWER_TOKEN = "viewer-token-for-tests-0123456789";
    static final String OPERATOR_TOKEN = "operator-token-for-tests-0123456789";
    static final String BRAZE_TOKEN = "braze-token-for-tests-0123456789";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConfigurableApplicationContext context;

    private final URI base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    static ApiServer start(Map<String, String> properties) {
        List<String> args = new ArrayList<>(List.of("serve", "--server.port=0", "--api.viewer-token=" + VIEWER_TOKEN,
                "--api.operator-token=" + OPERATOR_TOKEN, "--api.braze-token=" + BRAZE_TOKEN));
        properties.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new ApiServer(CommandLineInterface.startServer(args.toArray(String[]::new)));
    }

    /** How a request authenticates: none, a bearer token, or Basic credentials. */
    record Caller(String authorization) {
        static final Caller ANONYMOUS = new Caller(null);
        static final Caller VIEWER = bearer(VIEWER_TOKEN);
        static final Caller OPERATOR = bearer(OPERATOR_TOKEN);
        static final Caller BRAZE = bearer(BRAZE_TOKEN);

        static Caller bearer(String token) {
            return new Caller("Bearer " + token);
        }

        static Caller basic(String user, String password) {
            return new Caller("Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** An answer: status, headers and body as text (and as JSON on demand). */
    record Answer(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Answer get(Caller caller, String path) {
        return send(caller, HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Answer post(Caller caller, String path, String json) {
        return postBody(caller, path,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }

    /**
     * {@link #post}, again as long as it answers 409 because a run holds the lock of the
     * sync's audience: a sync that just ended (as {@link #awaitStatus} sees it) holds it
     * until its thread has written its summary.
     */
    Answer postOnceReleased(Caller caller, String path, String json) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Answer answer = post(caller, path, json);
        while (answer.status() == 409 && answer.body().contains("another process is running")
                && System.nanoTime() < deadline) {
            sleep(20);
            answer = post(caller, path, json);
        }
        return answer;
    }

    /**
     * A JSON POST whose body comes from {@code body}: of unknown length (chunked) when it
     * is an input stream.
     */
    Answer postBody(Caller caller, String path, HttpRequest.BodyPublisher body) {
        return send(caller,
                HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json").POST(body));
    }

    /**
     * Sends {@code head} (request line and headers, lines ended by CRLF, no blank line)
     * as it is, over HTTP/1.0 on a plain socket: headers the JDK's client refuses to set,
     * such as Host, go out as a caller chose them.
     */
    Answer raw(String head) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, end).split("\r\n");
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), HttpHeaders.of(headers, (name, value) -> true),
                    response.substring(end + 4));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address clients reach this server at, {@code 127.0.0.1:PORT}. */
    String authority() {
        return base.getAuthority();
    }

    /**
     * Waits until execution {@code id} has ended with one of {@code statuses}, and
     * returns its view. Ended: its exit code says the same, and a failure has its
     * one-line reason. Spring Batch 6 writes an ended execution twice: with its status,
     * exit code and end time before the job's listeners run, and again after them, with
     * the exit description one of them writes.
     */
    JsonNode awaitStatus(long id, String... statuses) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode execution;
        do {
            execution = get(Caller.VIEWER, "/api/executions/" + id).json();
            for (String status : statuses) {
                if (status.equals(execution.path("status").asString())
                        && status.equals(execution.path("exitCode").asString())
                        && !(status.equals("FAILED") && execution.path("exitDescription").asString().isEmpty())) {
                    return execution;
                }
            }
            sleep(100);
        }
        while (System.nanoTime() < deadline);
        throw new AssertionError("execution " + id + " did not reach " + List.of(statuses) + ": " + execution);
    }

    private Answer send(Caller caller, HttpRequest.Builder request) {
        if (caller.authorization() != null) {
            request.header("Authorization", caller.authorization());
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(90)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers(), response.body());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
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
