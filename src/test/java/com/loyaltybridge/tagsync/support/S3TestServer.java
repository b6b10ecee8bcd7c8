package com.loyaltybridge.tagsync.support;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.loyaltybridge.tagsync.storage.S3Settings;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-protocol server for tests: s3proxy in this JVM, over an in-memory blob store,
 * with AWS signature checks on. Started once per JVM and shared by every test class;
 * tests keep apart by using their own bucket (see {@link #createBucket(String)}).
 */
public final class S3TestServer {

    public static final String ACCESS_KEY = "test-access-key";

    public static final String SECRET_KEY = "test-secret-key-never-logged";

    public static final String REGION = "us-east-1";

    private static volatile S3TestServer instance;

    private final URI endpoint;

    private final S3Client client;

    private S3TestServer(URI endpoint) {
        this.endpoint = endpoint;
        this.client = S3Client.builder()
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
    }

    public static S3TestServer get() {
        if (instance == null) {
            synchronized (S3TestServer.class) {
                if (instance == null) {
                    instance = start();
                }
            }
        }
        return instance;
    }

    private static S3TestServer start() {
        S3Proxy proxy = S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
        }
        catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            }
            catch (Exception e) {
                // The JVM is exiting; nothing is left to clean up.
            }
        }));
        return new S3TestServer(URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /**
     * Application settings that reach this server, bound as the application binds them
     * (defaults included).
     */
    public S3Settings settings() {
        return settings(endpoint);
    }

    /**
     * Application settings that reach this server through {@code endpoint}, e.g. a proxy
     * in front of it.
     */
    public S3Settings settings(URI endpoint) {
        Map<String, String> properties = new HashMap<>(springProperties());
        properties.put("s3.endpoint", endpoint.toString());
        return new Binder(new MapConfigurationPropertySource(properties)).bind("s3", S3Settings.class).get();
    }

    /**
     * The same settings as Spring properties, for {@code @DynamicPropertySource} or
     * {@code ApplicationContextRunner}.
     */
    public Map<String, String> springProperties() {
        return Map.of("s3.endpoint", endpoint.toString(), "s3.region", REGION, "s3.path-style", "true",
                "s3.access-key-id", ACCESS_KEY, "s3.secret-access-key", SECRET_KEY);
    }

    /**
     * A client with full access to the server, for arranging and inspecting test data.
     */
    public S3Client client() {
        return client;
    }

    /** Creates the bucket if it does not exist yet and returns its name. */
    public String createBucket(String bucket) {
        if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
            client.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    public void put(String bucket, String key, byte[] content) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    /** Keys of all objects under {@code prefix}, at any depth, sorted. */
    public List<String> list(String bucket, String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
            .contents()
            .stream()
            .map(S3Object::key)
            .sorted()
            .toList();
    }

    public byte[] get(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

}
