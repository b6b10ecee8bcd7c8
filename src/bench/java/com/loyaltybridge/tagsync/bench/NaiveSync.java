package com.loyaltybridge.tagsync.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportItemReader;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportSettings;
import com.loyaltybridge.tagsync.brazeexport.BrazeUserParser;
import com.loyaltybridge.tagsync.brazeexport.ExportLine;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord;
import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.sync.SyncStep;

/**
 * The baseline a team writes first, for the benchmark only: a plain Spring Batch chunk step reading the export
 * and a writer that calls SessionM for one user after the other. No ledger, no concurrency, no retries; its job
 * repository keeps nothing, which only flatters it. Prints {@code users<TAB>seconds} of the step.
 */
public final class NaiveSync {

    private NaiveSync() {
    }

    /** {@code <export folder> <SessionM endpoint> <api key> <api secret>}. */
    public static void main(String[] args) throws Exception {
        StorageLocation export = StorageLocation.parse(args[0]);
        // Spring's default request factory: Apache HttpClient 5, as it is on the class path, as for the sync itself.
        RestClient sessionm = RestClient.builder()
                .baseUrl(URI.create(args[1]))
                .defaultHeaders(headers -> headers.setBasicAuth(args[2], args[3]))
                .build();
        LocalObjectStore store = new LocalObjectStore();
        BrazeExportSettings settings = new BrazeExportSettings(DataSize.ofMegabytes(1), DataSize.ofGigabytes(1), 255);
        ItemWriter<ExportRecord> writer = (Chunk<? extends ExportRecord> chunk) -> {
            for (ExportRecord record : chunk) {
                if (record instanceof ExportRecord.ExportUser user) {
                    sessionm.post()
                            .uri("/priv/v1/apps/{key}/external/users/{id}/tags", args[2], user.identifier())
                            .contentType(MediaType.APPLICATION_JSON)
                            .body(Map.of("tags", List.of(SyncRun.TAGS.split(",")), "ttl", Long.parseLong(SyncRun.TTL)))
                            .retrieve()
                            .toBodilessEntity();
                }
            }
        };
        JobRepository repository = new ResourcelessJobRepository();
        Job job = new JobBuilder("naiveTagSync", repository)
                .start(new StepBuilder(SyncStep.TAG_USERS.stepName(), repository)
                        .<ExportLine, ExportRecord>chunk(100)
                        .transactionManager(new ResourcelessTransactionManager())
                        .reader(BrazeExportItemReader.lines(store, new BrazeExportListing(store).objectsOf(export), settings))
                        .processor(new BrazeUserParser(IdentifierSource.EXTERNAL_ID, settings)::apply)
                        .writer(writer)
                        .build())
                .build();
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(repository);
        operator.setJobRegistry(new MapJobRegistry());
        operator.afterPropertiesSet();
        long start = System.nanoTime();
        JobExecution execution = operator.start(job, new JobParameters());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long users = execution.getStepExecutions().iterator().next().getWriteCount();
        System.out.printf(Locale.ROOT, "%s\t%d\t%.3f%n", execution.getStatus(), users, took.toNanos() / 1e9);
    }
}
