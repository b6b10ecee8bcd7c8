package com.loyaltybridge.tagsync.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

import com.loyaltybridge.tagsync.scan.ScanSettings;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

/**
 * The Kubernetes manifests and the Dockerfile: they parse strictly, fit together, and
 * hold to the security rules.
 */
class KubernetesManifestsTest {

    /**
     * The highest peak RSS measured (README: the CronJob): {@code serve} with -Xmx384m
     * running a 1M-user csv sync. A memory limit below it would get the pod killed.
     */
    private static final long MEASURED_PEAK_BYTES = 347L * 1024 * 1024;

    @Test
    void theKustomizationListsEveryManifestOnceAndEachParsesStrictly() throws IOException {
        List<String> files;
        try (Stream<Path> listing = Files.list(Manifests.FOLDER)) {
            files = listing.map(path -> path.getFileName().toString())
                .filter(name -> !name.equals("kustomization.yaml"))
                .sorted()
                .toList();
        }
        assertThat(Manifests.kustomizationResources()).doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(files);
        assertThat(Manifests.all()).extracting(HasMetadata::getKind)
            .containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "ConfigMap", "Secret", "CronJob", "Deployment",
                    "Service", "NetworkPolicy", "NetworkPolicy");
    }

    @Test
    void aTypoInAManifestFailsTheParse() {
        Map<String, Object> document = Manifests.documents(Manifests.FOLDER.resolve("service.yaml")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) document.get("spec");
        spec.put("selectr", spec.remove("selector"));

        assertThatThrownBy(() -> Manifests.parse(document)).hasMessageContaining("selectr");
    }

    @Test
    void theCronJobRunsOneScanAtATimeWithinDeadlinesAndCleansUp() {
        CronJob cronJob = Manifests.one(CronJob.class, "segment-tag-sync-scan");
        var job = cronJob.getSpec().getJobTemplate().getSpec();

        assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).isPositive();
        assertThat(job.getBackoffLimit()).isNotNull().isNotNegative();
        assertThat(job.getActiveDeadlineSeconds()).isPositive();
        assertThat(job.getTtlSecondsAfterFinished()).isPositive();
        assertThat(job.getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(container(job.getTemplate().getSpec()).getArgs()).containsExactly("scan");
        assertThat(container(Manifests.one(Deployment.class, "segment-tag-sync-api").getSpec().getTemplate().getSpec())
            .getArgs()).containsExactly("serve");
    }

    @Test
    void everyPodRunsAsNonRootOnAReadOnlyFilesystemWithoutPrivilegeEscalationAndSizedResources() {
        for (PodSpec pod : pods()) {
            Container container = container(pod);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(dockerfileUser());
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(container.getVolumeMounts())
                .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            assertThat(requests).containsKeys("cpu", "memory");
            long limit = Quantity.getAmountInBytes(limits.get("memory")).longValue();
            assertThat(limit).as("memory limit above the measured peak").isGreaterThan(MEASURED_PEAK_BYTES);
            assertThat(Quantity.getAmountInBytes(requests.get("memory")).longValue()).isLessThanOrEqualTo(limit);
            assertThat(heapBytes(container)).as("the heap leaves room for the rest of the JVM")
                .isLessThanOrEqualTo(limit / 2);
            assertThat(pod.getServiceAccountName()).isEqualTo("segment-tag-sync");
            assertThat(container.getImage()).isEqualTo(kustomizationImageName());
        }
        ServiceAccount account = Manifests.one(ServiceAccount.class, "segment-tag-sync");
        assertThat(account.getMetadata().getAnnotations()).containsKey("eks.amazonaws.com/role-arn");
    }

    @Test
    void everyReferenceResolvesAndTheSecretTemplateHoldsNoRealValue() {
        Secret secret = Manifests.one(Secret.class, "segment-tag-sync-secrets");
        assertThat(secret.getStringData().values()).containsOnly("REPLACE_ME");
        for (PodSpec pod : pods()) {
            Container container = container(pod);
            for (EnvVar variable : container.getEnv()) {
                if (variable.getValueFrom() != null) {
                    var key = variable.getValueFrom().getSecretKeyRef();
                    assertThat(key.getName()).isEqualTo(secret.getMetadata().getName());
                    assertThat(secret.getStringData()).containsKey(key.getKey());
                }
            }
            container.getEnvFrom()
                .forEach(source -> Manifests.one(ConfigMap.class, source.getConfigMapRef().getName()));
            pod.getVolumes()
                .stream()
                .filter(volume -> volume.getConfigMap() != null)
                .forEach(volume -> Manifests.one(ConfigMap.class, volume.getConfigMap().getName()));
        }
        Deployment deployment = Manifests.one(Deployment.class, "segment-tag-sync-api");
        Service service = Manifests.one(Service.class, "segment-tag-sync-api");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
            .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(container(deployment.getSpec().getTemplate().getSpec()).getPorts())
            .anySatisfy(port -> assertThat(port.getName())
                .isEqualTo(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()));
    }

    @Test
    void theSegmentMappingsAndSettingsOfTheConfigMapsBindToTheApplication() throws IOException {
        String segments = Manifests.one(ConfigMap.class, "segment-tag-sync-segments").getData().get("segments.yml");
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("segments.yml", new ByteArrayResource(segments.getBytes()))
            .forEach(source -> environment.getPropertySources().addFirst(source));
        Map<String, Object> settings = new HashMap<>(
                Manifests.one(ConfigMap.class, "segment-tag-sync-settings").getData());
        environment.getPropertySources()
            .addFirst(new SystemEnvironmentPropertySource(
                    "configmap-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, settings));

        ScanSettings scan = new Binder(ConfigurationPropertySources.get(environment)).bind("scan", ScanSettings.class)
            .get();

        assertThat(scan.segments()).hasSizeGreaterThanOrEqualTo(1);
        assertThat(scan.exportRoots()).isNotEmpty();
        assertThat(scan.roots()).allSatisfy(root -> assertThat(root.isS3()).isTrue());
        assertThat(scan.settleTime()).isPositive();
    }

    @Test
    void theDockerfileBuildsInStagesAndRunsTheLayeredJarAsTheManifestsUser() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        assertThat(lines.stream().filter(line -> line.startsWith("FROM "))).hasSize(2);
        assertThat(lines).contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        assertThat(Dockerfile.layers()).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies",
                "application");
        assertThat(dockerfileUser()).isPositive();
    }

    private static List<PodSpec> pods() {
        List<PodSpec> pods = new ArrayList<>();
        pods.add(Manifests.one(CronJob.class, "segment-tag-sync-scan")
            .getSpec()
            .getJobTemplate()
            .getSpec()
            .getTemplate()
            .getSpec());
        pods.add(Manifests.one(Deployment.class, "segment-tag-sync-api").getSpec().getTemplate().getSpec());
        return pods;
    }

    private static Container container(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    private static long heapBytes(Container container) {
        String options = container.getEnv()
            .stream()
            .filter(variable -> variable.getName().equals("JAVA_TOOL_OPTIONS"))
            .map(EnvVar::getValue)
            .findFirst()
            .orElseThrow();
        String xmx = Stream.of(options.split(" "))
            .filter(option -> option.startsWith("-Xmx"))
            .findFirst()
            .orElseThrow()
            .substring(4);
        return Quantity.getAmountInBytes(new Quantity(xmx.replace("m", "Mi").replace("g", "Gi"))).longValue();
    }

    private static long dockerfileUser() {
        return Dockerfile.user();
    }

    @SuppressWarnings("unchecked")
    private static String kustomizationImageName() {
        var images = (List<Map<String, Object>>) Manifests.documents(Manifests.FOLDER.resolve("kustomization.yaml"))
            .get(0)
            .get("images");
        return String.valueOf(images.get(0).get("name"));
    }

}
