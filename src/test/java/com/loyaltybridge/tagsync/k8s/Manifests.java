package com.loyaltybridge.tagsync.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The manifests in {@code k8s/}, parsed strictly into fabric8's Kubernetes object model:
 * a field the model does not know (a typo, a wrong indentation) fails instead of landing
 * in the model's catch-all map, and so does a repeated key or a kind the application does
 * not ship.
 */
public final class Manifests {

    static final Path FOLDER = Path.of("k8s");

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("ServiceAccount",
            ServiceAccount.class, "ConfigMap", ConfigMap.class, "Secret", Secret.class, "CronJob", CronJob.class,
            "Deployment", Deployment.class, "Service", Service.class, "NetworkPolicy", NetworkPolicy.class);

    /**
     * fabric8's classes keep unknown fields in an "any setter"; without it, Jackson
     * refuses them.
     */
    private static final JsonMapper STRICT = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addModule(new SimpleModule("strict-kubernetes-model").setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config,
                    BeanDescription.Supplier description, BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                return builder;
            }
        }))
        .build();

    private Manifests() {
    }

    /** Every document of {@code file}, as YAML maps, refusing repeated keys. */
    static List<Map<String, Object>> documents(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> documents = new ArrayList<>();
        try {
            for (Object document : new Yaml(new SafeConstructor(options)).loadAll(Files.readString(file))) {
                if (document != null) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) document;
                    documents.add(map);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /**
     * A document as the Kubernetes object of its kind; fails on an unknown kind or field.
     */
    static HasMetadata parse(Map<String, Object> document) {
        Class<? extends HasMetadata> type = KINDS.get(String.valueOf(document.get("kind")));
        if (type == null) {
            throw new IllegalArgumentException("unexpected kind " + document.get("kind"));
        }
        return STRICT.convertValue(document, type);
    }

    /** Every object of every manifest the kustomization lists. */
    static List<HasMetadata> all() {
        List<HasMetadata> objects = new ArrayList<>();
        for (String resource : kustomizationResources()) {
            documents(FOLDER.resolve(resource)).forEach(document -> objects.add(parse(document)));
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    static List<String> kustomizationResources() {
        return (List<String>) documents(FOLDER.resolve("kustomization.yaml")).get(0).get("resources");
    }

    /** The JVM options ({@code JAVA_TOOL_OPTIONS}) the CronJob runs the sync with. */
    public static List<String> cronJobJavaOptions() {
        return one(CronJob.class, "segment-tag-sync-scan").getSpec()
            .getJobTemplate()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()
            .stream()
            .filter(variable -> variable.getName().equals("JAVA_TOOL_OPTIONS"))
            .map(variable -> List.of(variable.getValue().split(" ")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the CronJob sets no JAVA_TOOL_OPTIONS"));
    }

    /**
     * The API Deployment's JVM options, as its container's JAVA_TOOL_OPTIONS gives them.
     */
    public static List<String> deploymentJavaOptions() {
        return one(Deployment.class, "segment-tag-sync-api").getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()
            .stream()
            .filter(variable -> variable.getName().equals("JAVA_TOOL_OPTIONS"))
            .map(variable -> List.of(variable.getValue().split(" ")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Deployment sets no JAVA_TOOL_OPTIONS"));
    }

    static <T extends HasMetadata> T one(Class<T> type, String name) {
        return all().stream()
            .filter(type::isInstance)
            .map(type::cast)
            .filter(object -> object.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in k8s/"));
    }

}
