package com.loyaltybridge.tagsync.sessionm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import com.loyaltybridge.tagsync.sessionm.TagOutcome.AuthenticationFailed;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.NotDelivered;

/**
 * Sends many customers' tags concurrently, as many at once as the {@link InFlightLimiter}
 * has room for: each call takes room before it is handed to a thread and gives it back
 * when it is over. Threads run one {@link SessionmClient} call at a time; they are made
 * when a call needs one (at most the limiter's bound), and end after
 * {@value #IDLE_THREAD_SECONDS} s without work, so a process holds as many threads as the
 * limit has lately used, not the bound. The pool is stopped with the application context.
 *
 * <p>
 * Once SessionM refuses the credentials, the calls of the same {@link #sendAll} that have
 * not started are not sent: they come back {@link NotDelivered} with
 * {@code mayHaveBeenApplied} false. Calls already under way finish, so that every outcome
 * is known.
 */
public class SessionmTagSender implements AutoCloseable {

    static final String NOT_SENT_AUTH = "not sent: SessionM rejected the credentials";
    static final String NOT_SENT_INTERRUPTED = "not sent: interrupted";
    static final String NOT_SENT_SHUT_DOWN = "not sent: the sender is shut down";
    static final String NOT_SENT_BEFORE_START_FAILED = "not sent: ";

    private static final long SHUTDOWN_GRACE_SECONDS = 30;
    static final long IDLE_THREAD_SECONDS = 30;

    private final SessionmClient client;

    private final InFlightLimiter limiter;

    private final ThreadPoolExecutor pool;

    public SessionmTagSender(SessionmClient client, InFlightLimiter limiter) {
        this.client = client;
        this.limiter = limiter;
        // No queue: a call is handed straight to an idle thread, or to a new one.
        this.pool = new ThreadPoolExecutor(0, limiter.bound(), IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new CustomizableThreadFactory("sessionm-send-"),
                SessionmTagSender::awaitFinishingThread);
    }

    /**
     * Every thread is busy: yet the call that wants one holds room, so fewer calls than
     * the bound are under way, and one of the threads has just given its call's room back
     * and is on its way to take the next call.
     */
    private static void awaitFinishingThread(Runnable call, ThreadPoolExecutor pool) {
        try {
            while (!pool.isShutdown()) {
                if (pool.getQueue().offer(call, 10, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new RejectedExecutionException("the sender is shut down");
    }

    /**
     * Sends every call and returns their outcomes in the order of {@code sends}. Never
     * throws for what happened to one customer; a programming or configuration error
     * (such as missing credentials) is thrown.
     */
    public List<TagOutcome> sendAll(List<TagSend> sends) {
        return sendAll(sends, new SendListener() {
        });
    }

    /**
     * Follows the sends of one {@link #sendAll(List, SendListener)} as they happen, on
     * the sending threads, so that the caller can record what is about to happen before
     * it happens, and what happened as soon as it did.
     */
    public interface SendListener {

        /**
         * Called with the index of a send on the thread about to make its first request.
         * If it throws, that send and every send not yet started are not sent: they come
         * back {@link NotDelivered}, not applied.
         */
        default void beforeStart(int index) {
        }

        /** Called with the index and outcome of a send once it is known. */
        default void completed(int index, TagOutcome outcome) {
        }

    }

    /**
     * Like {@link #sendAll(List)}, telling {@code listener} about each send as it starts
     * and ends.
     */
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
                    // Calls under way finish so their outcomes are known; the rest are
                    // not started.
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

    /**
     * Waits for room, then hands the send to a thread; a send not started comes back
     * {@link NotDelivered}.
     */
    private Future<TagOutcome> submit(TagSend send, int index, SendListener listener,
            AtomicReference<String> stopReason) {
        String stopped = stopReason.get();
        if (stopped != null || pool.isShutdown()) {
            return notSent(stopped != null ? stopped : NOT_SENT_SHUT_DOWN);
        }
        InFlightLimiter.Permit permit;
        try {
            permit = limiter.acquire();
        }
        catch (InterruptedException e) {
            // Calls under way finish so their outcomes are known; the rest are not
            // started.
            stopReason.compareAndSet(null, NOT_SENT_INTERRUPTED);
            Thread.currentThread().interrupt();
            return notSent(stopReason.get());
        }
        try {
            return pool.submit(() -> permit.run(() -> call(send, index, listener, stopReason)));
        }
        catch (RejectedExecutionException shutDown) {
            permit.cancel();
            return notSent(NOT_SENT_SHUT_DOWN);
        }
    }

    private TagOutcome call(TagSend send, int index, SendListener listener, AtomicReference<String> stopReason) {
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
    }

    private static Future<TagOutcome> notSent(String reason) {
        return CompletableFuture.completedFuture(new NotDelivered(reason, false));
    }

    /**
     * Stops the pool: calls not started are cancelled (they come back
     * {@link NotDelivered}, not sent), calls under way are interrupted and given a grace
     * period to report what became of them.
     */
    @Override
    public void close() throws InterruptedException {
        for (Runnable notStarted : pool.shutdownNow()) {
            ((Future<?>) notStarted).cancel(false);
        }
        pool.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }

}
