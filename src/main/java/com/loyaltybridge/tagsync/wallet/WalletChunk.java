package com.loyaltybridge.tagsync.wallet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import com.loyaltybridge.tagsync.brazeapi.BrazeTrackClient;
import com.loyaltybridge.tagsync.brazeapi.BrazeUser;
import com.loyaltybridge.tagsync.brazeapi.TrackOutcome;
import com.loyaltybridge.tagsync.brazeapi.UserAttributes;
import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.ledger.SyncAudienceMemberWalletRepository.Written;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository;
import com.loyaltybridge.tagsync.ledger.SyncUserRepository.WalletCompletion;
import com.loyaltybridge.tagsync.ledger.WalletMember;
import com.loyaltybridge.tagsync.offers.MappedWallet;
import com.loyaltybridge.tagsync.offers.OfferWalletClient;
import com.loyaltybridge.tagsync.offers.WalletOutcome;

/**
 * One chunk of {@link RefreshWalletsWriter}, from the reads to Braze's answers. Confined
 * to one chunk: nothing of it outlives it.
 * <p>
 * The members' reads are handed to the Connect client in their order, as long as fewer
 * than {@value #MAX_MEMBERS_IN_HAND} members are in hand (see below); the client's
 * threads read up to {@code sessionm.connect.max-in-flight} wallets at a time, under the
 * shared rate limit. Each read is mapped on the thread that made it, and dropped there:
 * only a changed wallet's attributes are kept, in the batch being filled. The thread that
 * fills a batch commits its members' intent ({@code SENDING}) and hands the request to
 * the Braze client, whose threads send up to {@code braze.rest.max-in-flight} at once
 * while the reads go on. As soon as Braze answers a request, its members' outcomes and
 * the audience's new fingerprints are committed, on their own, by the thread that sent
 * it: a kill leaves in doubt only the requests under way. The outcomes that involve no
 * request (unchanged, rejected by SessionM, a dry run's changed) are returned, for the
 * chunk's transaction.
 * <p>
 * In hand are the members being read and the changed ones whose request Braze has not yet
 * answered. With {@value #MAX_MEMBERS_IN_HAND} in hand, the chunk's thread waits for
 * Braze's answer to the oldest request before handing over another read: when Braze is
 * the slower side, a chunk of many members would otherwise read far ahead of it and hold
 * every changed wallet it has not yet sent.
 * <p>
 * Whatever goes wrong (credentials refused, a service failing after its retries, an
 * intent that cannot be committed) stops the reads that have not started, and no request
 * is handed over after it; it is returned as the chunk's failure.
 */
final class WalletChunk {

    /**
     * Below this many members, a chunk of unreadable answers is taken as members', not as
     * a wrong endpoint.
     */
    static final int MIN_MEMBERS_TO_JUDGE_ENDPOINT = 10;

    /**
     * The code a member's read is rejected with when SessionM's answer is not a wallet
     * (not JSON, no payload).
     */
    static final String UNREADABLE_ANSWER = "unreadable_answer";

    /**
     * The most members a chunk holds at once: reads handed over and not yet done, and
     * changed wallets whose request Braze has not yet answered. The size a chunk has
     * without any rate limit: enough to keep 64 reads and 8 Braze requests going with
     * many batches to spare, and a bound on the wallets in memory whatever the chunk
     * size.
     */
    static final int MAX_MEMBERS_IN_HAND = 2_000;

    /**
     * With {@link #MAX_MEMBERS_IN_HAND} in hand, the reads that must end before the
     * chunk's thread hands over more: a wake-up per hundred reads, not per read.
     */
    private static final int HAND_REFILL = 100;

    /**
     * What every chunk of one run shares.
     *
     * @param audienceId null without an audience: nothing to compare with, nothing
     * recorded for it
     * @param writesEveryWallet write a wallet even when it is the one last written
     * ({@code --full})
     * @param culture the run's culture for members without a language; null for Connect's
     * setting
     * @param runLockCheck throws once the run no longer holds its lock: no intent is
     * committed after
     * @param written commits, in a transaction of its own, what became of the members of
     * one request and the fingerprints of the wallets Braze took
     */
    record Context(long jobInstanceId, @Nullable Long audienceId, boolean writesEveryWallet, boolean dryRun,
            @Nullable String culture, OfferWalletSettings settings, RefreshWalletsWriter.Services services,
            SyncUserRepository users, Runnable runLockCheck, WalletPaceRecorder pace,
            BiConsumer<List<WalletCompletion>, List<Written>> written) {
    }

    /**
     * What became of a chunk, besides the requests already recorded.
     *
     * @param completions the outcome of every member that involved no request to Braze
     * and has one (the others stay as they were: {@code STAGED}, or {@code SENDING} when
     * a request carrying them may have landed)
     * @param failure why the chunk must fail; null when it need not
     */
    record Result(List<WalletCompletion> completions, @Nullable RuntimeException failure) {
    }

    private final Context context;

    private final List<WalletMember> members;

    private final Map<String, Written> lastWritten;

    private final OfferWalletClient.Reads reads;

    private final BrazeTrackClient.@Nullable Batches batches;

    private final int batchSize;

    private final Instant readAt = Instant.now();

    /** Guards the fields below, written by the read threads. */
    private final Object lock = new Object();

    private final WalletCompletion[] outcomes;

    private final String[] fingerprints;

    private List<Integer> filling = new ArrayList<>();

    private List<UserAttributes> fillingAttributes = new ArrayList<>();

    private final List<Sent> sent = new ArrayList<>();

    /**
     * How many of {@link #sent} the chunk's thread has waited for, oldest first (read and
     * written by that thread only, under the lock).
     */
    private int collected;

    /**
     * Members whose read was handed over and whose wallet is not done with: being read,
     * or changed and in a request not yet {@linkplain #collect collected}.
     */
    private int inHand;

    /**
     * Requests whose outcome is recorded: by the thread that sent them, or at the end for
     * those never sent.
     */
    private final Set<List<Integer>> settled = new HashSet<>();

    private RuntimeException failure;

    private int unread;

    private String lastUnreadReason;

    private int unreadable;

    private String lastUnreadableReason;

    /**
     * A request handed to Braze: the indices of its members, in its order, and its
     * outcome to come.
     */
    private record Sent(List<Integer> members, Future<TrackOutcome> outcome) {
    }

    /** What a request's outcome leaves for its members. */
    private record Settled(List<WalletCompletion> completions, List<Written> written,
            @Nullable RuntimeException failure) {
    }

    WalletChunk(Context context, List<WalletMember> members, Map<String, Written> lastWritten) {
        this.context = context;
        this.members = members;
        this.lastWritten = lastWritten;
        this.reads = context.services().connect().reads();
        this.batches = context.dryRun() ? null : context.services().braze().batches();
        this.batchSize = context.services().braze().batchSize();
        this.outcomes = new WalletCompletion[members.size()];
        this.fingerprints = new String[members.size()];
    }

    Result run() {
        List<CompletableFuture<Void>> done = new ArrayList<>(members.size());
        for (int index = 0; index < members.size(); index++) {
            if (!roomInHand()) {
                // The chunk failed: the members not handed over stay as they were.
                break;
            }
            WalletMember member = members.get(index);
            int at = index;
            done.add(reads
                .submit(member.identifier(), context.settings().cultureOf(member.language(), context.culture()))
                .handle((outcome, error) -> {
                    read(at, outcome, error);
                    return null;
                }));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        List<Integer> last;
        List<UserAttributes> lastAttributes;
        synchronized (lock) {
            last = filling;
            lastAttributes = fillingAttributes;
            filling = List.of();
            judgeReads();
        }
        if (!last.isEmpty()) {
            send(last, lastAttributes);
        }
        awaitBraze();
        context.pace().add(reads.latencies(), batches == null ? null : batches.latencies());
        return result();
    }

    /**
     * Waits, on the chunk's thread, until one more member may be handed over: collects
     * Braze's answers, oldest first, while too many members are in hand. False once the
     * chunk has failed: no more reads are handed over.
     */
    private boolean roomInHand() {
        while (true) {
            Sent oldest;
            synchronized (lock) {
                if (failure != null) {
                    return false;
                }
                if (inHand < MAX_MEMBERS_IN_HAND) {
                    inHand++;
                    return true;
                }
                oldest = collected < sent.size() ? sent.get(collected++) : null;
                if (oldest == null) {
                    // Every member in hand is being read, or in the batch being filled:
                    // woken once HAND_REFILL reads are done, a request is sent, or the
                    // chunk fails.
                    try {
                        lock.wait();
                    }
                    catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        fail(new IllegalStateException("interrupted while reading wallets"));
                        return false;
                    }
                    continue;
                }
            }
            collect(oldest);
        }
    }

    /** What one read came to, on the thread that made it. */
    private void read(int index, WalletOutcome outcome, Throwable error) {
        boolean inBatch = false;
        try {
            inBatch = readOutcome(index, outcome, error);
        }
        finally {
            if (!inBatch) {
                synchronized (lock) {
                    inHand--;
                    if (inHand <= MAX_MEMBERS_IN_HAND - HAND_REFILL) {
                        lock.notifyAll();
                    }
                }
            }
        }
    }

    /**
     * Records what one read came to; true when the member's wallet went into a batch for
     * Braze, where it stays in hand until its request is collected.
     */
    private boolean readOutcome(int index, WalletOutcome outcome, Throwable error) {
        try {
            if (error != null) {
                fail(error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error));
                return false;
            }
            WalletMember member = members.get(index);
            if (outcome instanceof WalletOutcome.Read read) {
                return found(index, member, context.services().attributes().map(read.wallet()));
            }
            else if (outcome instanceof WalletOutcome.Rejected rejected) {
                complete(index, new WalletCompletion(member.userSeq(), LedgerState.REJECTED, rejected.httpStatus(),
                        rejected.code(), rejected.message(), null, false));
            }
            else if (outcome instanceof WalletOutcome.Unreadable unreadableAnswer) {
                complete(index, new WalletCompletion(member.userSeq(), LedgerState.REJECTED,
                        unreadableAnswer.httpStatus(), UNREADABLE_ANSWER, unreadableAnswer.reason(), null, false));
                synchronized (lock) {
                    unreadable++;
                    lastUnreadableReason = unreadableAnswer.reason();
                }
            }
            else if (outcome instanceof WalletOutcome.CredentialsRefused refused) {
                fail(WalletCredentialsRefusedException.connect(refused.httpStatus(), refused.code()));
            }
            else if (outcome instanceof WalletOutcome.NotDelivered notDelivered) {
                notRead(notDelivered.reason());
            }
            else if (outcome instanceof WalletOutcome.Throttled throttled) {
                notRead(throttled.reason());
            }
        }
        catch (RuntimeException unexpected) {
            fail(unexpected);
        }
        return false;
    }

    /**
     * A wallet read and mapped: unchanged, changed (a dry run stops there), or into the
     * batch being filled (true).
     */
    private boolean found(int index, WalletMember member, MappedWallet wallet) {
        Written last = lastWritten.get(member.identifier());
        boolean changed = context.writesEveryWallet() || member.state() == LedgerState.SENDING || last == null
                || !last.fingerprint().equals(wallet.fingerprint().hex())
                || !last.brazeUserField().equals(member.brazeUserField())
                || !last.brazeUserId().equals(member.brazeUserId());
        if (!changed) {
            complete(index, WalletCompletion.of(member.userSeq(), LedgerState.UNCHANGED));
            return false;
        }
        if (context.dryRun()) {
            complete(index, WalletCompletion.of(member.userSeq(), LedgerState.CHANGED));
            return false;
        }
        UserAttributes attributes = wallet.attributesFor(brazeUser(member), readAt);
        List<Integer> full = null;
        List<UserAttributes> fullAttributes = null;
        synchronized (lock) {
            fingerprints[index] = wallet.fingerprint().hex();
            filling.add(index);
            fillingAttributes.add(attributes);
            if (filling.size() == batchSize) {
                full = filling;
                fullAttributes = fillingAttributes;
                filling = new ArrayList<>();
                fillingAttributes = new ArrayList<>();
            }
        }
        if (full != null) {
            send(full, fullAttributes);
        }
        return true;
    }

    /**
     * Commits that the members of a batch are being written, then hands the request to
     * Braze. Nothing is sent once the chunk has failed: its members stay as they were.
     */
    private void send(List<Integer> batch, List<UserAttributes> attributes) {
        synchronized (lock) {
            if (failure != null) {
                return;
            }
        }
        try {
            context.runLockCheck().run();
            context.users()
                .record(context.jobInstanceId(),
                        batch.stream()
                            .map(members::get)
                            .filter(member -> member.state() == LedgerState.STAGED)
                            .map(WalletMember::userSeq)
                            .toList(),
                        List.of());
        }
        catch (RuntimeException intentNotCommitted) {
            fail(intentNotCommitted);
            return;
        }
        Future<TrackOutcome> outcome = batches.submit(attributes, answer -> settle(batch, answer));
        synchronized (lock) {
            sent.add(new Sent(batch, outcome));
            // The chunk's thread may be waiting for a request to collect.
            lock.notifyAll();
        }
    }

    /**
     * Waits for Braze's answer to every request not yet collected, once every read is
     * back.
     */
    private void awaitBraze() {
        while (true) {
            Sent oldest;
            synchronized (lock) {
                if (collected == sent.size()) {
                    return;
                }
                oldest = sent.get(collected++);
            }
            collect(oldest);
        }
    }

    /**
     * Waits for Braze's answer to one request, on the chunk's thread; a request never
     * sent is settled here. Its members are then out of hand.
     */
    private void collect(Sent request) {
        try {
            TrackOutcome outcome;
            try {
                outcome = batches.await(request.outcome());
            }
            catch (RuntimeException recordingFailed) {
                // Its outcome could not be committed: its members stay SENDING, to be
                // written again.
                fail(recordingFailed);
                return;
            }
            boolean settledThere;
            synchronized (lock) {
                settledThere = settled.contains(request.members());
            }
            if (!settledThere) {
                settle(request.members(), outcome);
            }
        }
        finally {
            synchronized (lock) {
                inHand -= request.members().size();
            }
        }
    }

    /**
     * Records what Braze's answer means for the members of one request, on its own, on
     * the thread that has it: written (with their fingerprints), refused by Braze, or not
     * written (left {@code SENDING} when it may have landed).
     */
    private void settle(List<Integer> batch, TrackOutcome outcome) {
        Settled settledBatch = settledBy(batch, outcome);
        context.written().accept(settledBatch.completions(), settledBatch.written());
        synchronized (lock) {
            settled.add(batch);
        }
        if (settledBatch.failure() != null) {
            failBraze(settledBatch.failure());
        }
    }

    private Settled settledBy(List<Integer> batch, TrackOutcome outcome) {
        List<WalletCompletion> completions = new ArrayList<>(batch.size());
        List<Written> written = new ArrayList<>();
        if (outcome instanceof TrackOutcome.Tracked tracked) {
            Map<BrazeUser, String> refused = new HashMap<>();
            tracked.rejected().forEach(rejected -> refused.put(rejected.user(), rejected.message()));
            for (int index : batch) {
                WalletMember member = members.get(index);
                boolean again = member.state() == LedgerState.SENDING;
                String message = refused.get(brazeUser(member));
                if (message == null) {
                    completions.add(
                            new WalletCompletion(member.userSeq(), LedgerState.WRITTEN, null, null, null, null, again));
                    written.add(new Written(member.identifier(), fingerprint(index), member.brazeUserField(),
                            member.brazeUserId()));
                }
                else {
                    completions.add(new WalletCompletion(member.userSeq(), LedgerState.REFUSED, null, null, null,
                            message, again));
                }
            }
            return new Settled(completions, written, null);
        }
        // Nothing written, or it may have been: then its members stay SENDING, and the
        // next run writes them again.
        boolean mayHaveLanded = outcome instanceof TrackOutcome.NotDelivered notDelivered
                && notDelivered.mayHaveLanded();
        for (int index : batch) {
            WalletMember member = members.get(index);
            completions.add(WalletCompletion.of(member.userSeq(),
                    mayHaveLanded || member.state() == LedgerState.SENDING ? LedgerState.SENDING : LedgerState.STAGED));
        }
        RuntimeException failure = null;
        if (outcome instanceof TrackOutcome.CredentialsRefused refused) {
            failure = WalletCredentialsRefusedException.braze(refused.message());
        }
        else if (outcome instanceof TrackOutcome.Refused refused) {
            failure = WalletServiceException.brazeRefused(refused.message());
        }
        else if (outcome instanceof TrackOutcome.Throttled throttled) {
            failure = WalletServiceException.brazeUnavailable(throttled.reason());
        }
        else if (mayHaveLanded) {
            failure = WalletServiceException.brazeUnavailable(((TrackOutcome.NotDelivered) outcome).reason());
        }
        return new Settled(completions, written, failure);
    }

    private String fingerprint(int index) {
        synchronized (lock) {
            return fingerprints[index];
        }
    }

    private void notRead(String reason) {
        synchronized (lock) {
            if (failure != null) {
                // Not read because the chunk had already failed: nothing to say of
                // SessionM.
                return;
            }
            unread++;
            lastUnreadReason = reason;
        }
    }

    /**
     * Once every read is back: reads SessionM could not give, or a chunk of answers that
     * are not wallets, fail it.
     */
    private void judgeReads() {
        if (unread > 0) {
            fail(WalletServiceException.connectUnavailable(unread, members.size(), lastUnreadReason));
        }
        else if (unreadable == members.size() && unreadable >= MIN_MEMBERS_TO_JUDGE_ENDPOINT) {
            // Not one wallet among them: the endpoint is wrong, not every member. Nobody
            // is recorded as rejected.
            for (int index = 0; index < outcomes.length; index++) {
                outcomes[index] = null;
            }
            fail(WalletServiceException.connectUnreadable(unreadable, lastUnreadableReason));
        }
    }

    private void complete(int index, WalletCompletion completion) {
        synchronized (lock) {
            outcomes[index] = completion;
        }
    }

    /**
     * Records the first reason the chunk fails, and stops the reads that have not
     * started; no request is handed to Braze after it. Requests already handed over are
     * sent: their intents are committed, and what they write is recorded.
     */
    private void fail(RuntimeException reason) {
        synchronized (lock) {
            if (failure == null) {
                failure = reason;
            }
            lock.notifyAll();
        }
        reads.stop("not read: " + reason.getMessage());
    }

    /**
     * Like {@link #fail}, for Braze's own failures: its requests not yet started are not
     * sent either.
     */
    private void failBraze(RuntimeException reason) {
        fail(reason);
        batches.stop(reason.getMessage());
    }

    private Result result() {
        synchronized (lock) {
            List<WalletCompletion> completions = new ArrayList<>(members.size());
            for (WalletCompletion outcome : outcomes) {
                if (outcome != null) {
                    completions.add(outcome);
                }
            }
            return new Result(completions, failure);
        }
    }

    private static BrazeUser brazeUser(WalletMember member) {
        return BrazeUser.byField(member.brazeUserField(), member.brazeUserId());
    }

}
