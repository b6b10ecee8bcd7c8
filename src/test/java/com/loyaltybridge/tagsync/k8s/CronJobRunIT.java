package com.loyaltybridge.tagsync.k8s;

import static com.loyaltybridge.tagsync.support.ExportFixtures.lines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import com.loyaltybridge.tagsync.cli.ExitCode;
import com.loyaltybridge.tagsync.sessionm.IdentifierType;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.S3TestServer;
import com.loyaltybridge.tagsync.support.SyncTestSupport;
import com.loyaltybridge.tagsync.support.TestDatabase;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CronJob as Kubernetes would run it: the image laid out as the Dockerfile builds it
 * (the jar's layers, started by its ENTRYPOINT), the CronJob's arguments, and exactly the
 * environment its manifest gives, resolved from the ConfigMaps and a test Secret. Only
 * where the services are differs: the test's PostgreSQL, s3proxy and SessionM simulator
 * instead of production's. It syncs an export of the ConfigMap's first segment.
 */
class CronJobRunIT extends SyncTestSupport {

    private static final Path JAR = Path.of("target", "segment-tag-sync.jar");

    private static final Path IMAGE = Path.of("target", "cronjob-image");

    /** The test Secret: the template's keys, with the test services' credentials. */
    private static Map<String, String> testSecret() {
        TestDatabase database = TestDatabase.get();
        return Map.ofEntries(Map.entry("SPRING_DATASOURCE_URL", database.url()),
                Map.entry("SPRING_DATASOURCE_USERNAME", database.username()),
                Map.entry("SPRING_DATASOURCE_PASSWORD", database.password()),
                Map.entry("SESSIONM_CORE_API_KEY", API_KEY), Map.entry("SESSIONM_CORE_API_SECRET", API_SECRET),
                Map.entry("SESSIONM_CONNECT_AUTHORIZATION", "connect-authorization-of-the-test-secret"),
                Map.entry("BRAZE_API_KEY", "braze-key-of-the-test-secret"),
                Map.entry("API_VIEWERTOKEN", "viewer-token-of-the-test-secret-000"),
                Map.entry("API_OPERATORTOKEN", "operator-token-of-the-test-secret-00"),
                Map.entry("API_BRAZETOKEN", "braze-token-of-the-test-secret-00000"),
                Map.entry("OIDC_CLIENTSECRET", "client-secret-of-the-test-secret-000"));
    }

    @Test
    void theCronJobsCommandWithItsConfigMapAndSecretSyncsAnExport() throws Exception {
        CronJob cronJob = Manifests.one(CronJob.class, "segment-tag-sync-scan");
        Container container = cronJob.getSpec()
            .getJobTemplate()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
        Map<String, String> settings = Manifests.one(ConfigMap.class, "segment-tag-sync-settings").getData();
        Secret template = Manifests.one(Secret.class, "segment-tag-sync-secrets");
        assertThat(testSecret().keySet()).containsExactlyInAnyOrderElementsOf(template.getStringData().keySet());

        String segments = Manifests.one(ConfigMap.class, "segment-tag-sync-segments").getData().get("segments.yml");
        String segmentId = segments.lines()
            .map(String::strip)
            .filter(line -> line.startsWith("- segment-id: "))
            .findFirst()
            .orElseThrow()
            .substring("- segment-id: ".length());
        StorageLocation root = StorageLocation.parse(settings.get("SCAN_EXPORTROOTS"));
        StorageLocation export = new ExportFolder(segmentId, LocalDate.of(2026, 11, 28), UUID.randomUUID(),
                1_764_288_000L)
            .writeTo(s3, root.bucket(), Map.of("a.zip", zip(lines(users(1, 40)))));
        // Braze's callback came (the objects are younger than the settle time of the
        // ConfigMap).
        jdbc.update("INSERT INTO sync_export_ready (export_location, segment_id, received_at) VALUES (?, ?, now())",
                export.uri(), segmentId);

        Path app = imageAsTheDockerfileBuildsIt();
        Path mounts = Files.createTempDirectory("cronjob-mounts");
        Map<String, String> environment = resolvedEnvironment(container, settings, testSecret());
        mountVolumes(container, mounts, segments, environment);
        environment.putAll(testServices());

        List<String> command = new ArrayList<>(Dockerfile.entrypoint());
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(container.getArgs());
        File log = Path.of("target", "cronjob-run.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process scan = builder.start();

        assertThat(scan.waitFor(120, TimeUnit.SECONDS)).as("the scan ends").isTrue();
        String output = Files.readString(log.toPath());
        assertThat(scan.exitValue()).as(output).isEqualTo(ExitCode.COMPLETED.code());
        assertThat(output).contains("scan: " + segmentId + " " + export.uri() + ": completed");
        for (int i = 1; i <= 40; i++) {
            assertThat(sessionm.postsFor(IdentifierType.EXTERNAL_ID, "C-" + i)).as("C-" + i).hasSize(1);
        }
        assertThat(output).as("the log never shows a secret").doesNotContain(API_SECRET);
        assertThat(output).doesNotContain(S3TestServer.SECRET_KEY);
        List<String> logLines = output.lines().filter(line -> line.startsWith("{")).toList();
        assertThat(logLines).as("structured JSON log lines, as the ConfigMap asks").isNotEmpty();
        logLines.forEach(line -> assertThat(
                JsonMapper.builder().build().readTree(line).path("log").path("level").isMissingNode())
            .isFalse());
    }

    /**
     * The layers the Dockerfile copies, extracted from the jar as its build stage does,
     * into one folder.
     */
    private static Path imageAsTheDockerfileBuildsIt() throws IOException, InterruptedException {
        FileSystemUtils.deleteRecursively(IMAGE);
        Path extracted = IMAGE.resolve("extracted");
        Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools", "-jar", JAR.toString(), "extract", "--layers", "--launcher", "--destination",
                extracted.toString())
            .inheritIO()
            .start();
        assertThat(extract.waitFor(60, TimeUnit.SECONDS) && extract.exitValue() == 0).as("layers extracted").isTrue();
        Path app = IMAGE.resolve("app");
        for (String layer : Dockerfile.layers()) {
            Path from = extracted.resolve(layer);
            if (Files.exists(from)) {
                FileSystemUtils.copyRecursively(from, app);
            }
        }
        return app;
    }

    /** The container's env and envFrom, resolved as the kubelet does. */
    private static Map<String, String> resolvedEnvironment(Container container, Map<String, String> settings,
            Map<String, String> secret) {
        Map<String, String> environment = new LinkedHashMap<>();
        container.getEnvFrom()
            .forEach(source -> environment
                .putAll(Manifests.one(ConfigMap.class, source.getConfigMapRef().getName()).getData()));
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() == null) {
                environment.put(variable.getName(), variable.getValue());
            }
            else if (variable.getValueFrom().getSecretKeyRef() != null) {
                environment.put(variable.getName(), secret.get(variable.getValueFrom().getSecretKeyRef().getKey()));
            }
            else {
                environment.put(variable.getName(),
                        settings.get(variable.getValueFrom().getConfigMapKeyRef().getKey()));
            }
        }
        return environment;
    }

    /**
     * The volumes, mounted under {@code root} instead of at their paths in the container:
     * the segments file, and the writable {@code /tmp} of a read-only root filesystem.
     */
    private static void mountVolumes(Container container, Path root, String segments, Map<String, String> environment)
            throws IOException {
        for (VolumeMount mount : container.getVolumeMounts()) {
            Path local = Files.createDirectories(root.resolve(mount.getName()));
            if (mount.getName().equals("segments")) {
                Files.writeString(local.resolve("segments.yml"), segments);
                assertThat(mount.getMountPath() + "/segments.yml").as("where application.yml looks by default")
                    .isEqualTo("/etc/segment-tag-sync/segments.yml");
                environment.put("SEGMENTS_FILE", local.resolve("segments.yml").toString());
            }
            else if (mount.getMountPath().equals("/tmp")) {
                environment.merge("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + local,
                        (options, tmp) -> options + " " + tmp);
            }
        }
    }

    /** Where the services are: the only values that differ from the cluster's. */
    private static Map<String, String> testServices() {
        Map<String, String> services = new LinkedHashMap<>();
        services.put("SESSIONM_CORE_ENDPOINT", sessionm.baseUrl().toString());
        services.put("S3_ENDPOINT", s3.endpoint().toString());
        services.put("S3_PATHSTYLE", "true");
        // IAM roles for service accounts in the cluster; static keys for s3proxy here.
        services.put("S3_ACCESSKEYID", s3.accessKey());
        services.put("S3_SECRETACCESSKEY", s3.secretKey());
        return services;
    }

    private static String[] users(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> user("C-" + i)).toArray(String[]::new);
    }

}
