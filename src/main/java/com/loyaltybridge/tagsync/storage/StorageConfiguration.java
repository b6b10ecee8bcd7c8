package com.loyaltybridge.tagsync.storage;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The application's {@link ObjectStore}, and the S3 client behind it when a location is
 * in S3.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(S3Settings.class)
public class StorageConfiguration {

    /**
     * Lazy: built on the first S3 location, never for a run that only reads and writes
     * local directories.
     */
    @Bean(destroyMethod = "close")
    @Lazy
    public S3Client s3Client(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings))
            .requestChecksumCalculation(settings.requestChecksumCalculation())
            .responseChecksumValidation(settings.responseChecksumValidation())
            // The circuit breaker stops retrying once many calls failed; a batch run
            // would rather wait out an S3 hiccup.
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
                .toBuilder()
                .maxAttempts(settings.maxAttempts())
                .circuitBreakerEnabled(false)
                .build()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        else {
            // The region setting then only signs the first call: a bucket in another AWS
            // region is still found.
            builder.crossRegionAccessEnabled(true);
        }
        return builder.build();
    }

    @Bean
    public ObjectStore objectStore(ObjectProvider<S3Client> s3Client, S3Settings settings,
            ObjectProvider<ExportRoots> exportRoots) {
        ExportRoots roots = exportRoots.getIfAvailable();
        return new RoutingObjectStore(new LocalObjectStore(roots == null ? List.of() : roots.roots()),
                () -> new S3ObjectStore(s3Client.getObject(), settings));
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.hasStaticCredentials()) {
            return StaticCredentialsProvider
                .create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

}
