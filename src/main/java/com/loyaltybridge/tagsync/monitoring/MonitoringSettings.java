package com.loyaltybridge.tagsync.monitoring;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param progressInterval how often a running sync logs its progress (done/total, rate,
 * ETA); 0 for never
 */
@ConfigurationProperties("monitoring")
public record MonitoringSettings(@DefaultValue("10s") Duration progressInterval) {
}
