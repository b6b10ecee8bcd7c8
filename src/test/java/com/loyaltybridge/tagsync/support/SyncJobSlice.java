package com.loyaltybridge.tagsync.support;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportSettings;
import com.loyaltybridge.tagsync.bulkfile.BulkFileSettings;
import com.loyaltybridge.tagsync.bulkfile.BulkFileWriter;
import com.loyaltybridge.tagsync.launch.SyncLauncher;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.sessionm.SessionmConfiguration;
import com.loyaltybridge.tagsync.storage.StorageConfiguration;
import com.loyaltybridge.tagsync.sync.SegmentSyncJobConfiguration;
import com.loyaltybridge.tagsync.sync.SyncSettings;

/**
 * The sync job, its tables and its launcher (packages sync, ledger, launch), without the
 * rest of the application (no web server, no scan, no metrics, no command line): a slice
 * for step-level and launcher tests against the test PostgreSQL, with Spring Boot's own
 * configuration of the data source, Flyway and Spring Batch. Exports and bulk files live
 * in local folders; SessionM is not configured. Tests use it by extending
 * {@link SyncJobSliceSupport}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties({ SyncSettings.class, BrazeExportSettings.class, BulkFileSettings.class })
@ComponentScan(basePackageClasses = { SegmentSyncJobConfiguration.class, SyncUserRepository.class, SyncLauncher.class })
@Import({ StorageConfiguration.class, BrazeExportListing.class, BulkFileWriter.class, SessionmConfiguration.class })
public class SyncJobSlice {

}
