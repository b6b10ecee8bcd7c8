package com.loyaltybridge.tagsync;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import com.loyaltybridge.tagsync.cli.CommandLineInterface;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SegmentTagSyncApplication {

    public static void main(String[] args) {
        System.exit(new CommandLineInterface(System.out, System.err).run(args).code());
    }
}
