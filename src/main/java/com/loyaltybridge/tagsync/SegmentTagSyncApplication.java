package com.loyaltybridge.tagsync;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The application: every bean of the sync, the scan and the REST API. It is started by
 * the command line ({@code cli.Main}, the jar's entry point), which decides the command;
 * it knows nothing of it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SegmentTagSyncApplication {

}
