package com.loyaltybridge.tagsync.sessionm;

import java.util.Objects;

/**
 * One customer's call for {@link SessionmTagSender#sendAll}.
 *
 * @param settleFirst the ledger left this call in doubt in an earlier run: read the
 * customer's tags and send only what is missing ({@link SessionmClient#settle}) instead
 * of sending straight away
 */
public record TagSend(TagRequest request, boolean settleFirst) {

    public TagSend {
        Objects.requireNonNull(request, "request");
    }
}
