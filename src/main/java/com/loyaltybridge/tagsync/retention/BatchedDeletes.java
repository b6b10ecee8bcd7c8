package com.loyaltybridge.tagsync.retention;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

import com.loyaltybridge.tagsync.retention.PrunableJob.Deleted;

/**
 * How every table is pruned: a batch per transaction, each starting after the key the one
 * before reached, until a batch finds nothing past it. Transactions stay short beside
 * running syncs, and a prune stopped anywhere loses at most the batch under way.
 */
final class BatchedDeletes {

    private BatchedDeletes() {
    }

    /**
     * What one batch did.
     *
     * @param reached the key of the last row it went through (whether it deleted it or
     * kept it); null once past the last row
     * @param rows the rows it deleted
     * @param alongside rows of another table deleted with them
     */
    record Batch<K>(@Nullable K reached, long rows, long alongside) {

        static <K> Batch<K> pastTheLast() {
            return new Batch<>(null, 0, 0);
        }
    }

    /**
     * Runs {@code batch} in a transaction of its own, from {@code first} (a key before
     * every row's) on, until it is past the last row.
     */
    static <K> Deleted run(TransactionTemplate transaction, K first, Function<K, Batch<K>> batch) {
        long rows = 0;
        long alongside = 0;
        int transactions = 0;
        K after = first;
        while (true) {
            K from = after;
            Batch<K> done = transaction.execute(status -> batch.apply(from));
            transactions++;
            if (done.reached() == null) {
                return new Deleted(rows, alongside, transactions);
            }
            rows += done.rows();
            alongside += done.alongside();
            after = done.reached();
        }
    }

}
