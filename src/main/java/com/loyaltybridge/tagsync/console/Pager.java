package com.loyaltybridge.tagsync.console;

/**
 * Where one page of a longer list is: page numbers from 0, as the API's pages.
 *
 * @param label "Rows 26 to 50 of 120", or "None"
 */
record Pager(int page, int size, long total, boolean hasPrevious, boolean hasNext, String label) {

    static Pager of(int page, int size, long total) {
        long first = (long) page * size + 1;
        long last = Math.min(total, (long) (page + 1) * size);
        String label = total == 0 ? "None" : first > total ? "Past the last of " + Formats.count(total)
                : Formats.count(first) + " to " + Formats.count(last) + " of " + Formats.count(total);
        return new Pager(page, size, total, page > 0, last < total, label);
    }

    public int previous() {
        return Math.max(0, page - 1);
    }

    public int next() {
        return page + 1;
    }
}
