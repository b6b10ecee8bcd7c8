package com.loyaltybridge.tagsync.api;

import java.util.List;

/** One page of a longer list: {@code total} items in all. */
public record ApiPage<T>(List<T> items, int page, int size, long total) {
}
