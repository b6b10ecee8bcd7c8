package com.loyaltybridge.tagsync.sessionm.simulator;

import java.util.List;
import java.util.Map;

import com.loyaltybridge.tagsync.sessionm.IdentifierType;

/**
 * What the simulator has seen since it started or was reset; also served as JSON on
 * {@code GET /__simulator/stats}.
 *
 * @param byStatus answers by HTTP status, plus {@code reset} for connections reset on
 * purpose
 * @param maxConcurrentRequests the most tags requests the simulator was handling at once
 * @param connectionsOpened TCP connections accepted: far fewer than requests when clients
 * reuse connections
 * @param tagPosts for each customer and tag, how many POSTs carrying it were received and
 * applied: {@code appliedPosts} above 1 for a tag sent once means a duplicate
 */
public record SimulatorStats(long totalRequests, Map<String, Long> byStatus, long posts, int maxConcurrentRequests,
        long connectionsOpened, List<TagPosts> tagPosts) {

    public record TagPosts(IdentifierType identifierType, String identifier, String tag, long posts,
            long appliedPosts) {
    }
}
