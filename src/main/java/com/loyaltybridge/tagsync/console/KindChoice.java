package com.loyaltybridge.tagsync.console;

import java.util.List;

import com.loyaltybridge.tagsync.scan.SegmentMapping;

/**
 * A kind of run a person chooses (to filter the executions, to launch): a segment
 * mapping's kind, and its name on the pages.
 *
 * @param value {@code tags} or {@code offers}, as a mapping and the REST API name it
 * @param label {@code tags} or {@code offer wallets}
 */
record KindChoice(String value, String label) {

    static final String TAGS = "tags";

    static final String OFFER_WALLETS = "offer wallets";

    static final List<KindChoice> ALL = List.of(new KindChoice(SegmentMapping.Kind.TAGS.text(), TAGS),
            new KindChoice(SegmentMapping.Kind.OFFERS.text(), OFFER_WALLETS));

}
