package com.loyaltybridge.tagsync.bulkfile;

/** A part of a bulk file that is visible in storage. */
public record PublishedPart(int number, String name, String location, long users, long rows, long bytes,
        String sha256) {
}
