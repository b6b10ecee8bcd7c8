package com.loyaltybridge.tagsync;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SegmentTagSyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(SegmentTagSyncApplication.class, args);
    }
}
