package com.loyaltybridge.tagsync.api;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.loyaltybridge.tagsync.api.ApiServer.Answer;
import com.loyaltybridge.tagsync.api.ApiServer.Caller;
import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.simulator.Fault;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.SyncTestSupport;

import tools.jackson.databind.JsonNode;

/**
 * What a probe of {@code serve} as an attacker (with valid and invalid credentials, and a
 * hostile export) must find closed: each test sends what the probe sent, over HTTP
 * against a running server with PostgreSQL, S3 and the SessionM simulator, and checks the
 * answer and that nothing was written (no job instance, no execution, no call to
 * SessionM).
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiHardeningIT extends SyncTestSupport {

    private static final String BUCKET = "hardening-exports";

    private static final String BULK_BUCKET = "hardening-bulk";

    private static final String PUBLIC_URL = "https://tag-sync.example.com";

    private static final String[] SEGMENTS = { "harden-csv", "harden-link", "harden-done", "harden-abandon",
            "harden-orphan" };

    @TempDir
    static Path files;

    private static Path fileRoot;

    private static ApiServer server;

    @BeforeAll
    static void startServer() throws IOException {
        fileRoot = Files.createDirectories(files.resolve("exports"));
        s3.createBucket(BULK_BUCKET);
        server = ApiServer.start(serverProperties(Map.of()));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Map<String, String> serverProperties(Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.put("scan.export-roots", "s3://" + BUCKET + "/,file:" + fileRoot + "/");
        properties.put("scan.settle-time", "1h");
        properties.put("bulk-file.output", "s3://" + BULK_BUCKET + "/");
        properties.put("sessionm.max-retries", "0");
        properties.put("sessionm.request-timeout", "10s");
        properties.put("api.public-url", PUBLIC_URL);
        for (int i = 0; i < SEGMENTS.length; i++) {
            properties.put("scan.segments[" + i + "].segment-id", SEGMENTS[i]);
            properties.put("scan.segments[" + i + "].tags", "vip");
            properties.put("scan.segments[" + i + "].mode", "api");
        }
        properties.putAll(overrides);
        return properties;
    }

    /**
     * (1) Identifiers and SessionM messages open as text in a spreadsheet; the bulk file
     * for SessionM keeps them exact.
     */
    @Test
    void csvDownloadsShowFormulasAsTextAndTheBulkFileKeepsTheExactIdentifiers() {
        List<String> hostile = List.of("=cmd|' /C calc'!A0", "+plus", "@x", "-1+1",
                "=HYPERLINK(\"http://evil.example/\",\"click\")");
        String message = "=HYPERLINK(\"http://evil.example/\",\"see why\")";
        StorageLocation export = export("harden-csv", hostile.toArray(String[]::new));
        for (String identifier : hostile) {
            sessionm.faultFor(identifier,
                    Fault.status(200, "{\"status\":\"error\",\"errors\":{\"code\":\"user_not_found\"," + "\"message\":"
                            + json(message) + "}}", Map.of()));
        }

        long id = launched(launch("{\"export\":\"" + export.uri() + "\"}"));
        assertThat(server.awaitStatus(id, "COMPLETED").path("counts").path("rejected").asLong())
            .isEqualTo(hostile.size());
        Answer csv = server.get(Caller.VIEWER, "/api/executions/" + id + "/rejected-users.csv");

        assertThat(csv.status()).isEqualTo(200);
        List<CSVRecord> rows = csvRecords(csv.body());
        assertThat(rows.get(0).values()).containsExactly("identifier", "http_status", "code", "message", "at");
        assertThat(rows.subList(1, rows.size())).extracting(row -> row.get(0))
            .containsExactly("'=cmd|' /C calc'!A0", "'+plus", "'@x", "'-1+1",
                    "'=HYPERLINK(\"http://evil.example/\",\"click\")");
        assertThat(rows.subList(1, rows.size())).extracting(row -> row.get(3)).containsOnly("'" + message);

        long bulk = launched(server.post(Caller.OPERATOR, "/api/syncs",
                "{\"export\":\"" + export.uri() + "\",\"tags\":[\"vip\"],\"mode\":\"csv\"}"));
        server.awaitStatus(bulk, "COMPLETED");
        String part = s3.list(BULK_BUCKET, "harden-csv/")
            .stream()
            .filter(key -> key.endsWith("/part-00001.csv"))
            .findFirst()
            .orElseThrow();
        List<CSVRecord> bulkRows = csvRecords(new String(s3.get(BULK_BUCKET, part), StandardCharsets.UTF_8));
        assertThat(bulkRows.subList(1, bulkRows.size())).extracting(row -> row.get(0))
            .as("the bulk file is data for SessionM's import: exact identifiers")
            .containsExactlyElementsOf(hostile);
    }

    /**
     * (2) A folder link under a file: export root is never followed out of it: not by a
     * launch, a callback or a scan.
     */
    @Test
    void aFolderLinkOutOfAFileExportRootIsNeitherLaunchedNorFoundByACallbackOrAScan() throws IOException {
        ExportFolder outsideFolder = new ExportFolder("harden-link", LocalDate.of(2026, 11, 28), UUID.randomUUID(),
                1_764_288_000L);
        StorageLocation outside = outsideFolder.writeTo(files.resolve("outside"),
                Map.of("part.zip", zipOf(users(1, 3))));
        Path dateFolder = Files.createDirectories(fileRoot.resolve("segment-export/harden-link/2026-11-28"));
        String linkedName = UUID.randomUUID() + "-1764288000";
        String etcName = UUID.randomUUID() + "-1764288001";
        Files.createSymbolicLink(dateFolder.resolve(linkedName), outside.directory());
        Files.createSymbolicLink(dateFolder.resolve(etcName), Path.of("/etc"));
        String linked = "file:" + dateFolder.resolve(linkedName) + "/";
        String etc = "file:" + dateFolder.resolve(etcName) + "/";
        Trace before = Trace.now();

        Answer toOutside = launch("{\"export\":\"" + linked + "\"}");
        Answer toEtc = launch("{\"export\":\"" + etc + "\",\"tags\":[\"vip\"]}");
        Answer callback = callback("harden-link?object_prefix=" + linkedName, "{\"success\":true}");
        Run scan = run(Map.of("scan.export-roots", "file:" + fileRoot + "/", "scan.settle-time", "0s",
                "scan.segments[0].segment-id", "harden-link", "scan.segments[0].tags", "vip", "scan.segments[0].mode",
                "api"), "scan");

        assertField(toOutside, "export");
        assertThat(toOutside.json().path("detail").asString())
            .isEqualTo("'" + linked + "' leads out of its export root through a symbolic link; it is not read");
        assertField(toEtc, "export");
        assertThat(toEtc.body()).contains(etcName).doesNotContain("passwd", "hostname", "outside");
        assertThat(callback.status()).as(callback.toString()).isEqualTo(404);
        assertThat(scan.exitCode()).as(scan.toString()).isEqualTo(ExitCode.COMPLETED);
        assertThat(scan.stdout()).doesNotContain(linkedName, etcName);
        before.assertNothingWritten();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_export_ready WHERE segment_id = 'harden-link'",
                Integer.class))
            .isZero();
    }

    /**
     * (3) Bodies over api.max-request-body-size answer 413, chunked or not; fields are
     * capped; errors quote input clipped.
     */
    @Test
    void oversizedBodiesAnswer413AndOversizedFieldsAre400sThatNeverEchoTheInputWhole() {
        String valid = notLaunched();
        String huge = "{\"export\":\"" + valid + "\",\"tags\":[\"" + "x".repeat(300 * 1024) + "\"]}";
        Trace before = Trace.now();

        Answer declared = launch(huge);
        Answer chunked = server.postBody(Caller.OPERATOR, "/api/syncs", HttpRequest.BodyPublishers
            .ofInputStream(() -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))));
        Answer callback = server.postBody(Caller.BRAZE, "/api/braze/export-callbacks/harden-done",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        ("{\"success\":true,\"object_prefix\":\"" + "y".repeat(1024 * 1024) + "\"}")
                            .getBytes(StandardCharsets.UTF_8))));

        for (Answer tooLarge : List.of(declared, chunked, callback)) {
            assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
            assertThat(tooLarge.json().path("detail").asString()).contains("api.max-request-body-size");
        }

        String manyTags = IntStream.rangeClosed(1, 101)
            .mapToObj(i -> "\"t" + i + "\"")
            .collect(Collectors.joining(","));
        assertLimit(launch("{\"export\":\"" + valid + "\",\"tags\":[" + manyTags + "]}"), "tags",
                "101 tags: a sync takes at most 100");
        assertLimit(launch("{\"export\":\"" + valid + "\",\"tags\":[\"" + "t".repeat(256) + "\"]}"), "tags",
                "longer than 255 characters");
        assertLimit(
                server.post(Caller.OPERATOR, "/api/syncs", "{\"export\":\"" + valid
                        + "\",\"tags\":[\"vip\"],\"identifier\":\"alias:" + "a".repeat(100_000) + "\"}"),
                "identifier", "longer than 255 characters");
        assertLimit(launch("{\"export\":\"s3://" + BUCKET + "/" + "e".repeat(100_000) + "/\"}"), "export",
                "longer than 1024 characters");
        assertLimit(launch("{\"segment\":\"" + "s".repeat(100_000) + "\"}"), "segment", "longer than 255 characters");
        assertLimit(
                launch("{\"export\":\"" + valid + "\",\"tags\":[\"vip\"],\"mode\":\"" + "m".repeat(200_000) + "\"}"),
                "mode", "is not a mode");
        assertLimit(callback("harden-done", "{\"success\":true,\"object_prefix\":\"" + "y".repeat(200_000) + "\"}"),
                "object_prefix", "is not the name of an export folder");
        assertLimit(callback("z".repeat(4000), "{\"success\":true}"), "segmentId", "longer than 255 characters");
        before.assertNothingWritten();
    }

    /**
     * (4) What cannot become Spring Batch's job parameters is a 400 naming the limit,
     * every time, with nothing written.
     */
    @Test
    void tagsBeyondWhatTheJobParametersHoldAre400NamingTheLimitAgainAndAgain() {
        String valid = notLaunched();
        String tenThousand = IntStream.rangeClosed(1, 10_000)
            .mapToObj(i -> "\"tag" + i + "\"")
            .collect(Collectors.joining(","));
        List<String> longNames = IntStream.rangeClosed(1, 20).mapToObj(i -> i + "t".repeat(200)).toList();
        String longTags = longNames.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(","));
        int joinedLength = String.join(",", longNames).length();
        Trace before = Trace.now();

        for (int attempt = 1; attempt <= 2; attempt++) {
            Answer tooMany = launch("{\"export\":\"" + valid + "\",\"tags\":[" + tenThousand + "]}");
            Answer tooLong = launch("{\"export\":\"" + valid + "\",\"tags\":[" + longTags + "]}");

            assertLimit(tooMany, "tags", "10000 tags: a sync takes at most 100");
            assertLimit(tooLong, "tags", "the tags take " + joinedLength + " characters with their commas;"
                    + " a job parameter holds at most 2500");
        }
        before.assertNothingWritten();
    }

    /**
     * (4) A launch that fails between writing the job instance and its first execution
     * (here PostgreSQL refuses the parameters, as it refused 10,000 tags) leaves an
     * instance without execution; the next launch repairs it and runs.
     */
    @Test
    void aJobInstanceLeftWithoutExecutionIsRepairedByTheNextLaunch() {
        StorageLocation export = export("harden-orphan", users(11, 13));
        String body = "{\"export\":\"" + export.uri() + "\"}";
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION refuse_orphan_maker() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.parameter_value LIKE '%harden-orphan%' THEN
                        RAISE EXCEPTION 'value too long for type character varying(2500)';
                    END IF;
                    RETURN NEW;
                END $$""");
        jdbc.execute("CREATE TRIGGER refuse_orphan_maker BEFORE INSERT ON batch_job_execution_params"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_orphan_maker()");
        int orphansBefore = orphanInstances();
        Answer failed;
        try {
            failed = launch(body);
        }
        finally {
            jdbc.execute("DROP TRIGGER refuse_orphan_maker ON batch_job_execution_params");
            jdbc.execute("DROP FUNCTION refuse_orphan_maker()");
        }
        assertThat(failed.status()).as(failed.toString()).isEqualTo(500);
        assertThat(orphanInstances()).as("the state the failed insert leaves").isEqualTo(orphansBefore + 1);

        long id = launched(launch(body));

        assertThat(server.awaitStatus(id, "COMPLETED").path("counts").path("tagged").asLong()).isEqualTo(3);
        assertThat(orphanInstances()).isEqualTo(orphansBefore);
        assertAppliedExactlyOnce(List.of("C-11", "C-12", "C-13"), "vip");
    }

    /**
     * (5) Control characters, line separators and bidi overrides are refused in every
     * name a request gives.
     */
    @Test
    void namesWithControlOrBidiCharactersAreRefusedWhereverTheyComeFrom() {
        String valid = notLaunched();
        Trace before = Trace.now();

        assertLimit(launch("{\"export\":\"" + valid + "\",\"tags\":[\"vip\\u2028x\"]}"), "tags",
                "'vip?x' is not a usable tag name: it holds the line separator U+2028");
        assertLimit(launch("{\"export\":\"" + valid + "\",\"tags\":[\"\\u202Egnp.exe\"]}"), "tags",
                "it holds the bidirectional control U+202E");
        assertLimit(launch("{\"export\":\"" + valid + "\",\"tags\":[\"vip\"],\"identifier\":\"alias:a\\nb\"}"),
                "identifier", "'alias:a?b' is not an identifier source: it holds the control character U+000A");
        assertLimit(launch("{\"segment\":\"harden-done\\u202E\"}"), "segment",
                "it holds the bidirectional control U+202E");
        assertLimit(launch("{\"export\":\"" + valid + "\\u2066\",\"tags\":[\"vip\"]}"), "export",
                "it holds the bidirectional control U+2066");
        assertLimit(callback("harden-done", "{\"success\":true,\"object_prefix\":\"a\\u2029b\"}"), "object_prefix",
                "is not the name of an export folder");
        Run mapping = run(Map.of("scan.export-roots", "s3://" + BUCKET + "/", "scan.segments[0].segment-id",
                "harden-done", "scan.segments[0].tags", "vip\u202Egold", "scan.segments[0].mode", "api"), "scan");

        assertThat(mapping.exitCode()).as(mapping.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(mapping.stderr()).contains("segment harden-done: 'vip?gold' is not a usable tag name: it holds the"
                + " bidirectional control U+202E");
        before.assertNothingWritten();
    }

    /**
     * (6) One secret for two clients would make the bearer the first client found: the
     * server refuses to start.
     */
    @Test
    void twoClientsWithTheSameSecretStopTheServerFromStarting() {
        String shared = "one-secret-for-two-clients-0123456789";
        Map<String, String> properties = new LinkedHashMap<>(serverProperties(Map.of()));
        properties.put("server.port", "0");
        properties.put("api.viewer-token", shared);
        properties.put("api.operator-token", shared);

        Run serve = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(properties, "serve"));

        assertThat(serve.exitCode()).as(serve.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(serve.stderr().lines().toList()).containsExactly(
                "error: api.viewer-token and api.operator-token are the same secret; give each client its own",
                "Run with --help for usage.");
        assertThat(serve.stdout() + serve.stderr()).doesNotContain(shared);
    }

    /**
     * (7) Each failed login is logged once and counted; repeated from one address,
     * credentials are refused for a while.
     */
    @Test
    void failedLoginsAreLoggedCountedAndThenRefusedFromThatAddressUntilTheWindowPasses(CapturedOutput output) {
        try (ApiServer guarded = ApiServer
            .start(serverProperties(Map.of("api.max-login-failures", "3", "api.login-failure-window", "10s")))) {
            String wrongSecret = "wrong-secret-guess-0123456789abcdef";

            Answer basic = guarded.get(Caller.basic("viewer", wrongSecret), "/api/executions");
            Answer bearer = guarded.get(Caller.bearer(wrongSecret), "/api/executions");
            Answer malformed = guarded.get(new Caller("Basic !!not-base64!!"), "/api/executions");
            Answer refused = guarded.get(Caller.VIEWER, "/api/executions");
            Answer probe = guarded.get(Caller.ANONYMOUS, "/actuator/health/liveness");

            assertThat(List.of(basic.status(), bearer.status(), malformed.status())).containsOnly(401);
            assertThat(refused.status()).as("even the right secret, from an address that guessed too often")
                .isEqualTo(429);
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 10L);
            assertThat(refused.json().path("detail").asString()).startsWith("too many failed logins from this address");
            assertThat(probe.status()).as("requests without credentials pass").isEqualTo(200);

            Answer metrics = awaitAccepted(() -> guarded.get(Caller.VIEWER, "/actuator/prometheus"));
            assertThat(metric(metrics.body(), "tagsync_api_login_failures_total")).isEqualTo(3.0);
            String log = output.getAll();
            String failed = "API login failed from 127.0.0.1: ";
            assertThat(occurrences(log, failed + "Basic credentials of client viewer (1 of 3")).isEqualTo(1);
            assertThat(occurrences(log, failed + "a bearer token that is no client's (2 of 3")).isEqualTo(1);
            assertThat(occurrences(log, failed + "malformed Basic credentials (3 of 3")).isEqualTo(1);
            assertThat(log).doesNotContain(wrongSecret);

            Answer openApi = guarded.get(Caller.VIEWER, "/v3/api-docs");
            assertThat(openApi.json().path("servers").get(0).path("url").asString()).isEqualTo(PUBLIC_URL);
        }
    }

    /**
     * (8) Ids are canonical decimal numbers, and every JSON value has exactly its field's
     * type.
     */
    @Test
    void nonCanonicalIdsAndJsonValuesOfTheWrongTypeAre400sNamingTheField() {
        String valid = notLaunched();
        Trace before = Trace.now();

        for (String id : List.of("0x10", "+1", "01", "1%20", "1e3", "-1")) {
            Answer answer = server.get(Caller.VIEWER, "/api/executions/" + id);
            assertField(answer, "id");
            assertThat(answer.json().path("detail").asString()).endsWith("is not a whole number in decimal digits");
        }
        assertField(server.post(Caller.OPERATOR, "/api/executions/0x10/abandon", null), "id");
        assertField(server.get(Caller.VIEWER, "/api/executions?page=01"), "page");
        assertField(server.get(Caller.VIEWER, "/api/executions?segment=a%E2%80%AEb"), "segment");

        assertTyped(launch("{\"export\":\"" + valid + "\",\"tags\":[\"vip\"],\"ttl\":1.5}"), "ttl",
                "must be a whole number");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"tags\":[\"vip\"],\"ttl\":\"100\"}"), "ttl",
                "must be a whole number");
        assertTyped(launch("{\"export\":123}"), "export", "must be a string");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"tags\":\"vip\"}"), "tags", "must be an array");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"tags\":[7]}"), "tags[0]", "must be a string");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"tags\":[\"vip\"],\"mode\":true}"), "mode",
                "must be a string");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"audience\":5}"), "audience", "must be a string");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"audience\":[\"a\"]}"), "audience", "must be a string");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"full\":\"true\"}"), "full", "must be true or false");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"full\":1}"), "full", "must be true or false");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"dryRun\":\"yes\"}"), "dryRun", "must be true or false");
        assertTyped(launch("{\"export\":\"" + valid + "\",\"dryRun\":0}"), "dryRun", "must be true or false");
        assertField(launch("{\"export\":\"" + valid + "\",\"audience\":\" \"}"), "audience");
        assertField(launch("{\"export\":\"" + valid + "\",\"audience\":\"a\\u202Eb\",\"dryRun\":true}"), "audience");
        assertField(server.get(Caller.VIEWER, "/api/audiences/0x10"), "id");
        assertField(server.get(Caller.VIEWER, "/api/audiences/1/members?state=tagged"), "state");
        assertField(server.get(Caller.VIEWER, "/api/executions/1/left-users?size=01"), "size");
        assertTyped(callback("harden-done", "{\"success\":\"true\"}"), "success", "must be true or false");
        assertTyped(callback("harden-done", "{\"success\":true,\"object_prefix\":5}"), "object_prefix",
                "must be a string");
        before.assertNothingWritten();
    }

    /**
     * (9) Nothing the API answers is built from the Host header, and it claims no OAuth
     * metadata it does not have.
     */
    @Test
    void theHostHeaderIsNeverReflectedAndNoOAuthMetadataIsPublished() {
        String forged = "Host: evil.example\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: http";

        String viewer = "\r\nAuthorization: Bearer " + ApiServer.VIEWER_TOKEN;

        Answer openApi = server.raw("GET /v3/api-docs HTTP/1.0\r\n" + forged + viewer);
        Answer anonymous = server.raw("GET /api/executions HTTP/1.0\r\n" + forged);
        Answer badToken = server
            .raw("GET /api/executions HTTP/1.0\r\n" + forged + "\r\nAuthorization: Bearer not-a-client-00000");
        Answer actuator = server.raw("GET /actuator HTTP/1.0\r\n" + forged + viewer);
        Answer metadata = server.get(Caller.ANONYMOUS, "/.well-known/oauth-protected-resource");
        Answer metadataForViewer = server.get(Caller.VIEWER, "/.well-known/oauth-protected-resource");

        assertThat(openApi.status()).as(openApi.toString()).isEqualTo(200);
        assertThat(openApi.json().path("servers").findValuesAsString("url")).containsExactly(PUBLIC_URL);
        assertThat(openApi.body()).doesNotContain("evil.example");
        for (Answer refused : List.of(anonymous, badToken)) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.headers().allValues("WWW-Authenticate")).hasSize(2)
                .allSatisfy(challenge -> assertThat(challenge).doesNotContain("evil.example", "resource_metadata"));
            assertThat(refused.body()).doesNotContain("evil.example");
        }
        assertThat(anonymous.headers().allValues("WWW-Authenticate"))
            .containsExactly("Basic realm=\"segment-tag-sync\"", "Bearer realm=\"segment-tag-sync\"");
        assertThat(badToken.headers().allValues("WWW-Authenticate"))
            .contains("Bearer realm=\"segment-tag-sync\", error=\"invalid_token\"");
        assertThat(actuator.body()).as("no discovery page of links built from the Host header")
            .doesNotContain("evil.example");
        assertThat(metadata.status()).as(metadata.toString()).isEqualTo(401);
        assertThat(metadataForViewer.status()).as(metadataForViewer.toString()).isEqualTo(403);
    }

    /**
     * (10) Abandoning a completed execution, and launching an abandoned sync, answer what
     * is true and do nothing.
     */
    @Test
    void abandoningACompletedExecutionAndLaunchingAnAbandonedSyncSayWhatIsTrue(CapturedOutput output) {
        StorageLocation done = export("harden-done", users(21, 22));
        long completed = launched(launch("{\"export\":\"" + done.uri() + "\"}"));
        server.awaitStatus(completed, "COMPLETED");
        StorageLocation failing = export("harden-abandon", users(31, 32));
        Fault[] down = new Fault[2];
        Arrays.fill(down, Fault.status(503));
        sessionm.enqueue(down);
        long failed = launched(launch("{\"export\":\"" + failing.uri() + "\"}"));
        server.awaitStatus(failed, "FAILED");
        assertThat(server.post(Caller.OPERATOR, "/api/executions/" + failed + "/abandon", null).status())
            .isEqualTo(200);
        int logLength = output.getAll().length();
        Trace before = Trace.now();

        Answer abandonCompleted = server.post(Caller.OPERATOR, "/api/executions/" + completed + "/abandon", null);
        Answer launchAbandoned = onceReleased(() -> launch("{\"export\":\"" + failing.uri() + "\"}"));

        assertThat(abandonCompleted.status()).as(abandonCompleted.toString()).isEqualTo(409);
        assertThat(abandonCompleted.json().path("detail").asString())
            .isEqualTo("execution " + completed + " already completed; there is nothing to abandon");
        assertThat(server.get(Caller.VIEWER, "/api/executions/" + completed).json().path("status").asString())
            .isEqualTo("COMPLETED");
        assertThat(launchAbandoned.status()).as(launchAbandoned.toString()).isEqualTo(409);
        assertThat(launchAbandoned.json().path("detail").asString())
            .startsWith("this sync was abandoned by an operator (job instance ")
            .contains("execution " + failed + ") and is never run again; nothing was done")
            .endsWith("To sync this export anew, give it other tag settings (tags, ttl, mode or identifier)")
            .doesNotContain("--full");
        assertThat(output.getAll().substring(logLength)).doesNotContain("Resuming sync");
        before.assertNothingWritten();
    }

    /**
     * Counts of what a request could have written: job instances, executions, calls to
     * SessionM.
     */
    private record Trace(int instances, int executions, int posts) {

        static Trace now() {
            return new Trace(count("batch_job_instance"), count("batch_job_execution"), sessionm.postCount());
        }

        void assertNothingWritten() {
            assertThat(now()).as("job instances, executions and POSTs to SessionM").isEqualTo(this);
        }

        private static int count(String table) {
            return jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
        }
    }

    private static int orphanInstances() {
        return jdbc.queryForObject("""
                SELECT count(*) FROM batch_job_instance i
                WHERE NOT EXISTS (SELECT 1 FROM batch_job_execution e WHERE e.job_instance_id = i.job_instance_id)""",
                Integer.class);
    }

    /**
     * The failed run's thread holds the sync's lock until it has written its summary: 409
     * "running" until then.
     */
    private static Answer onceReleased(Supplier<Answer> launch) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Answer answer = launch.get();
        while (answer.status() == 409 && answer.body().contains("another process is running")) {
            assertThat(System.nanoTime()).as("the sync's lock is released").isLessThan(deadline);
            answer = launch.get();
        }
        return answer;
    }

    private static Answer awaitAccepted(Supplier<Answer> request) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Answer answer = request.get();
        while (answer.status() == 429) {
            assertThat(System.nanoTime()).as("the refusal ends with its window").isLessThan(deadline);
            pause();
            answer = request.get();
        }
        return answer;
    }

    /** Between two polls of a condition that takes seconds to come. */
    private static void pause() {
        try {
            Thread.sleep(200);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer launch(String json) {
        return server.post(Caller.OPERATOR, "/api/syncs", json);
    }

    private static Answer callback(String segment, String json) {
        return server.post(Caller.BRAZE, "/api/braze/export-callbacks/" + segment, json);
    }

    /**
     * A valid export folder under the S3 export root that no test has launched (nor
     * written).
     */
    private static String notLaunched() {
        return "s3://" + BUCKET + "/segment-export/harden-done/2026-11-28/" + UUID.randomUUID() + "-1764288000/";
    }

    private static long launched(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer.json().path("executionId").asLong();
    }

    private static void assertField(Answer answer, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().path("field").asString()).as(answer.toString()).isEqualTo(field);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /**
     * A 400 naming {@code field}, saying {@code reason}, and far shorter than any input
     * it quotes.
     */
    private static void assertLimit(Answer answer, String field, String reason) {
        assertField(answer, field);
        assertThat(answer.json().path("detail").asString()).contains(reason);
        assertThat(answer.body().length()).as("the answer quotes input clipped").isLessThan(1000);
    }

    private static void assertTyped(Answer answer, String field, String message) {
        assertField(answer, field);
        assertThat(answer.json().path("detail").asString()).isEqualTo(field + ": " + message);
    }

    private static double metric(String exposition, String name) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(exposition);
        if (!line.find()) {
            throw new AssertionError("no metric " + name);
        }
        return Double.parseDouble(line.group(2));
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static List<CSVRecord> csvRecords(String csv) {
        try {
            return CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static StorageLocation export(String segment, String... externalIds) {
        return ExportFolder.of(segment).writeTo(s3, BUCKET, Map.of("part.zip", zipOf(externalIds)));
    }

    /** An export object holding one user line per external id. */
    private static byte[] zipOf(String... externalIds) {
        return zip(lines(Arrays.stream(externalIds).map(id -> user(id)).toArray(String[]::new)));
    }

    private static String[] users(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "C-" + i).toArray(String[]::new);
    }

}
