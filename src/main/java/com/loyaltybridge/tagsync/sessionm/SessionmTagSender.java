package com.loyaltybridge.tagsync.sessionm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

import com.loyaltybridge.tagsync.sessionm.TagOutcome.AuthenticationFailed;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.NotDelivered;

/**
 * Sends many customers' tags concurrently, with at most {@code maxInFlight} calls under way at once: a fixed pool
 * of that many threads, each running one {@link SessionmClient} call at a time, created once and stopped with the
 * application context.
 *
 * <p>Once SessionM refuses the credentials, the calls of the same {@link #sendAll} that have not started are not
 * sent: they come back {@link NotDelivered} with {@code mayHaveBeenApplied} false. Calls already under way finish,
 * so that every outcome is known.
 */
public class SessionmTagSender implements AutoCloseable {

    static final String NOT_SENT_AUTH = "not sent: SessionM rejected the credentials";
    static final String NOT_SENT_INTERRUPTED = "not sent: interrupted";
    static final String NOT_SENT_SHUT_DOWN = "not sent: the sender is shut down";
    static final String NOT_SENT_BEFORE_START_FAILED = "not sent: ";

    private static final long SHUTDOWN_GRACE_SECONDS = 30;

    private final SessionmClient client;
    private final ExecutorService pool;

    public SessionmTagSender(SessionmClient client, int maxInFlight) {
        Assert.isTrue(maxInFlight > 0, "sessionm.max-in-flight must be at least 1");
        this.client = client;
        this.pool = new ThreadPoolExecutor(maxInFlight, maxInFlight, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new CustomizableThreadFactory("sessionm-send-"));
    }

    /**
     * Sends every call and returns their outcomes in the order of {@code sends}. Never throws for what happened to
     * one customer; a programming or configuration error (such as missing credentials) is thrown.
     */
    public List<TagOutcome> sendAll(List<TagSend> sends) {
        return sendAll(sends, new SendListener() {
        });
    }

    /**
     * Follows the sends of one {@link #sendAll(List, SendListener)} as they happen, on the sending threads, so that
     * the caller can record what is about to happen before it happens, and what happened as soon as it did.
     */
    public interface SendListener {

        /**
         * Called with the index of a send on the thread about to make its first request. If it throws, that send
         * and every send not yet started are not sent: they come back {@link NotDelivered}, not applied.
         */
        default void beforeStart(int index) {
        }

        /** Called with the index and outcome of a send once it is known. */
        default void completed(int index, TagOutcome outcome) {
        }
    }

    /** Like {@link #sendAll(List)}, telling {@code listener} about each send as it starts and ends. */
    public List<TagOutcome> sendAll(List<TagSend> sends, SendListener listener) {
        AtomicReference<String> stopReason = new AtomicReference<>();
        List<Future<TagOutcome>> futures = new ArrayList<>(sends.size());
        for (int index = 0; index < sends.size(); index++) {
            futures.add(submit(sends.get(index), index, listener, stopReason));
        }
        List<TagOutcome> outcomes = new ArrayList<>(sends.size());
        boolean interrupted = false;
        for (Future<TagOutcome> future : futures) {
            while (true) {
                try {
                    outcomes.add(future.get());
                    break;
                }
                catch (InterruptedException e) {
                    // Calls under way finish so their outcomes are known; the rest are not started.
                    interrupted = true;
                    stopReason.compareAndSet(null, NOT_SENT_INTERRUPTED);
                }
                catch (CancellationException e) {
                    outcomes.add(new NotDelivered(NOT_SENT_SHUT_DOWN, false));
                    break;
                }
                catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException bug) {
                        throw bug;
                    }
                    throw new IllegalStateException("SessionM send failed unexpectedly", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcomes;
    }

    private Future<TagOutcome> submit(TagSend send, int index, SendListener listener, AtomicReference<String> stopReason) {
        try {
            return pool.submit(() -> {
                String reason = stopReason.get();
                if (reason != null) {
                    return new NotDelivered(reason, false);
                }
                try {
                    listener.beforeStart(index);
                }
                catch (RuntimeException e) {
                    stopReason.compareAndSet(null, NOT_SENT_BEFORE_START_FAILED + e.getMessage());
                    return new NotDelivered(stopReason.get(), false);
                }
                TagOutcome outcome = send.settleFirst() ? client.settle(send.request()) : client.send(send.request());
                if (outcome instanceof AuthenticationFailed) {
                    stopReason.compareAndSet(null, NOT_SENT_AUTH);
                }
                listener.completed(index, outcome);
                return outcome;
            });
        }
        catch (RejectedExecutionException shutDown) {
            return CompletableFuture.completedFuture(new NotDelivered(NOT_SENT_SHUT_DOWN, false));
        }
    }

    /**
     * Stops the pool: calls not started are cancelled (they come back {@link NotDelivered}, not sent), calls under
     * way are interrupted and given a grace period to report what became of them.
     */
    @Override
    public void close() throws InterruptedException {
        for (Runnable notStarted : pool.shutdownNow()) {
            ((Future<?>) notStarted).cancel(false);
        }
        pool.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }
}
