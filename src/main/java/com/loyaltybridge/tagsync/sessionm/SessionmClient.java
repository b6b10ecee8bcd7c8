package com.loyaltybridge.tagsync.sessionm;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.client.RestClient;

import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.AuthFailed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Failed;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Rejected;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Success;
import com.loyaltybridge.tagsync.sessionm.SessionmAnswer.Throttled;
import com.loyaltybridge.tagsync.sessionm.SessionmSettings.InDoubtPolicy;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.AlreadyTagged;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.AuthenticationFailed;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.NotDelivered;
import com.loyaltybridge.tagsync.sessionm.TagOutcome.Tagged;

/**
 * Puts tags on one customer at SessionM without ever applying a call twice that SessionM
 * may already have applied. Counter tags are not idempotent (every applied call adds 1),
 * so a call is only repeated when SessionM is known not to have applied it, or after
 * reading the customer's tags showed what is still missing.
 *
 * <p>
 * What each answer means:
 * <ul>
 * <li>HTTP 2xx with a body that is not {@code "status":"error"}: done.</li>
 * <li>401, 403, or an error code in {@code authErrorCodes}: {@link AuthenticationFailed};
 * the run must stop.</li>
 * <li>429: not applied. Every thread waits out {@code Retry-After} (capped by
 * {@code maxRetryAfter}; without it, the retry backoff) and the call is sent again. 429s
 * do not use up {@code maxRetries}: the call keeps waiting until it has been throttled
 * for {@code maxThrottledWait}.</li>
 * <li>503, or a connection that could not be opened: not applied; retried with
 * exponential backoff and jitter ({@code initialBackoff}, doubling, at most
 * {@code maxBackoff}, {@code maxRetries} times).</li>
 * <li>Other 5xx, a request timeout, a connection lost after sending, an error code in
 * {@code retryableErrorCodes}: the outcome is <em>unknown</em>. Before sending again the
 * client waits {@code settleDelay}, reads the customer's tags and sends only the tags
 * that are missing. A counter tag that is present proves nothing (the customer may have
 * had it before), so {@code inDoubtCounterTags} decides: count it as applied
 * ({@link AlreadyTagged} or {@link Tagged} with {@code inDoubt}) or send it again
 * ({@link Tagged} with {@code inDoubt}).</li>
 * <li>Any other answer, such as 404 {@code user_not_found} or 200
 * {@code requires_registered_user}: {@link TagOutcome.Rejected}, permanent for this
 * customer.</li>
 * </ul>
 * When retries run out the outcome is {@link NotDelivered}, whose
 * {@code mayHaveBeenApplied} tells whether an unknown outcome was left unsettled.
 *
 * <p>
 * Reading a customer's tags is assumed to be a GET on {@code tagsReadPath}: SessionM
 * lists "Retrieve customer tags" without documenting it (see {@link CustomerTags} for how
 * its answer is read). If that read says SessionM does not know the customer
 * ({@code user_not_found}, {@code requires_registered_user}), no call for it can have
 * landed and the customer is {@link TagOutcome.Rejected}. If the read is refused
 * otherwise, or its answer holds no tag list, the call ends {@link NotDelivered} with
 * {@code mayHaveBeenApplied}: nothing is sent on a guess.
 *
 * <p>
 * The client is thread-safe. Credentials are checked when a call is made, so the bean
 * exists in runs that never call SessionM. Neither the API secret nor full URLs (which
 * carry the API key) reach logs or messages.
 */
public class SessionmClient {

    private static final Logger log = LoggerFactory.getLogger(SessionmClient.class);

    /**
     * SessionM's codes for a customer it does not know, or that cannot hold tags: a call
     * for it cannot have landed.
     */
    private static final Set<String> UNKNOWN_CUSTOMER_CODES = Set.of("user_not_found", "requires_registered_user");

    private final SessionmSettings settings;

    private final RequestThrottle throttle;

    private final SessionmExchange exchange;

    private final RetryTemplate retryTemplate;

    private final ExponentialBackOff throttleBackOff;

    /**
     * @param restClient the HTTP client to SessionM, and {@code retryTemplate} the
     * retries of {@link TransientFailure}s: as {@link SessionmClientFactory} builds them
     */
    SessionmClient(SessionmSettings settings, RequestThrottle throttle, InFlightLimiter limiter, RestClient restClient,
            RetryTemplate retryTemplate, SessionmMetrics metrics) {
        this.settings = settings;
        this.throttle = throttle;
        AnswerClassifier classifier = new AnswerClassifier(settings.retryableErrorCodes(), settings.authErrorCodes(),
                settings.maxRetryAfter(), Clock.systemUTC());
        this.exchange = new SessionmExchange(restClient, settings, throttle, classifier, metrics, limiter);
        this.retryTemplate = retryTemplate;
        this.throttleBackOff = backOff(settings);
    }

    /**
     * Sends the tags of {@code request}; never throws for what SessionM or the network
     * did.
     */
    public TagOutcome send(TagRequest request) {
        return deliver(new Delivery(request, false));
    }

    /**
     * Finishes a call that an earlier run may or may not have completed (its ledger entry
     * was left in doubt): reads the customer's tags first and sends only what is missing,
     * as after an unknown outcome.
     */
    public TagOutcome settle(TagRequest request) {
        return deliver(new Delivery(request, true));
    }

    private TagOutcome deliver(Delivery delivery) {
        List<String> missing = settings.missingCredentials();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("SessionM is not configured: set " + String.join(", ", missing));
        }
        try {
            return retryTemplate.execute(delivery);
        }
        catch (RetryException exhausted) {
            Throwable last = exhausted.getLastException();
            if (last instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                return delivery.notDelivered("interrupted");
            }
            if (last instanceof TransientFailure failure) {
                return delivery
                    .notDelivered(failure.getMessage() + ", " + (exhausted.getRetryCount() + 1) + " attempts");
            }
            if (last instanceof RuntimeException bug) {
                throw bug;
            }
            throw new IllegalStateException("SessionM call failed unexpectedly", last);
        }
    }

    /** One customer's call, across its attempts. Confined to the thread that runs it. */
    private final class Delivery implements Retryable<TagOutcome> {

        private final TagRequest request;

        private final String name;

        private List<String> pending;

        /**
         * An attempt's outcome is unknown and no read of the customer's tags has settled
         * it yet.
         */
        private boolean unsettled;

        private boolean settleDelayDue;

        /**
         * A counter tag's presence was taken as proof, or it was sent again: its count
         * may be off by one.
         */
        private boolean inDoubt;

        private long throttledSinceNanos;

        private BackOffExecution throttleWaits;

        Delivery(TagRequest request, boolean unsettled) {
            this.request = request;
            this.name = request.identifierType().collection() + "/" + TagsPaths.encodeSegment(request.identifier());
            this.pending = request.tags();
            this.unsettled = unsettled;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public TagOutcome execute() throws TransientFailure, InterruptedException {
            if (unsettled) {
                if (settleDelayDue) {
                    // Gives SessionM time to finish a write whose answer was lost before
                    // reading its result.
                    Thread.sleep(settings.settleDelay().toMillis());
                    settleDelayDue = false;
                }
                Optional<TagOutcome> settled = settleByReading();
                if (settled.isPresent()) {
                    return settled.get();
                }
            }
            return post();
        }

        private TagOutcome post() throws TransientFailure, InterruptedException {
            Optional<SessionmAnswer> answer = untilNotThrottled(() -> exchange.sendTags(request, pending));
            if (answer.isEmpty()) {
                return throttledTooLong();
            }
            if (answer.get() instanceof Success) {
                return new Tagged(inDoubt);
            }
            if (answer.get() instanceof Failed failed) {
                if (failed.outcomeUnknown()) {
                    unsettled = true;
                    settleDelayDue = true;
                }
                throw new TransientFailure(failed.reason());
            }
            return refused(answer.get());
        }

        private Optional<TagOutcome> settleByReading() throws TransientFailure, InterruptedException {
            Optional<SessionmAnswer> answer = untilNotThrottled(() -> exchange.readTags(request));
            if (answer.isEmpty()) {
                return Optional.of(throttledTooLong());
            }
            if (answer.get() instanceof Failed failed) {
                throw new TransientFailure("reading tags: " + failed.reason());
            }
            if (answer.get() instanceof Rejected rejected) {
                if (UNKNOWN_CUSTOMER_CODES.contains(rejected.code())) {
                    // A customer SessionM does not know cannot have taken the call in
                    // doubt: refused, like its POST.
                    unsettled = false;
                    return Optional.of(refused(rejected));
                }
                return Optional.of(notDelivered("could not read the customer's tags to settle: "
                        + AnswerClassifier.describe(rejected.status(), rejected.code())));
            }
            if (!(answer.get() instanceof Success success)) {
                return Optional.of(refused(answer.get()));
            }
            Optional<CustomerTags> held = CustomerTags.from(success.body());
            if (held.isEmpty()) {
                return Optional
                    .of(notDelivered("could not settle: SessionM's answer to reading tags holds no tag list"));
            }
            unsettled = false;
            return decide(held.get());
        }

        /**
         * Narrows {@link #pending} to what still has to be sent, or ends the call if
         * nothing has.
         */
        private Optional<TagOutcome> decide(CustomerTags held) {
            List<String> present = pending.stream().filter(held::holds).toList();
            if (present.isEmpty()) {
                return Optional.empty();
            }
            if (request.counterTags()) {
                inDoubt = true;
                if (settings.inDoubtCounterTags() == InDoubtPolicy.RESEND) {
                    return Optional.empty();
                }
            }
            List<String> absent = new ArrayList<>(pending);
            absent.removeAll(present);
            if (absent.isEmpty()) {
                return Optional.of(new AlreadyTagged(inDoubt));
            }
            pending = List.copyOf(absent);
            return Optional.empty();
        }

        /**
         * Sends {@code call} again after each 429, until it has been throttled for
         * {@code maxThrottledWait}.
         */
        private Optional<SessionmAnswer> untilNotThrottled(Call call) throws InterruptedException {
            while (true) {
                SessionmAnswer answer = call.run();
                if (!(answer instanceof Throttled throttled)) {
                    return Optional.of(answer);
                }
                long now = System.nanoTime();
                if (throttleWaits == null) {
                    throttleWaits = throttleBackOff.start();
                    throttledSinceNanos = now;
                }
                Duration wait = throttled.retryAfter().orElseGet(() -> Duration.ofMillis(throttleWaits.nextBackOff()));
                if (now + wait.toNanos() - throttledSinceNanos > settings.maxThrottledWait().toNanos()) {
                    return Optional.empty();
                }
                log.debug("SessionM throttled {}: no request starts for {} ms", name, wait.toMillis());
                throttle.pauseFor(wait);
            }
        }

        private TagOutcome refused(SessionmAnswer answer) {
            if (answer instanceof AuthFailed authFailed) {
                log.warn("SessionM refused the credentials ({}) for {}",
                        AnswerClassifier.describe(authFailed.status(), authFailed.code()), name);
                return new AuthenticationFailed(authFailed.status(), authFailed.code());
            }
            Rejected rejected = (Rejected) answer;
            String status = AnswerClassifier.describe(rejected.status(), rejected.code());
            log.info("SessionM rejected {}: {}", name,
                    status.equals(rejected.message()) ? status : status + " (" + rejected.message() + ")");
            return new TagOutcome.Rejected(rejected.status(), rejected.code(), rejected.message());
        }

        private TagOutcome throttledTooLong() {
            return notDelivered("HTTP 429 throttled for longer than " + settings.maxThrottledWait());
        }

        NotDelivered notDelivered(String reason) {
            log.warn("Tags not delivered to {}: {} (may have been applied: {})", name, reason, unsettled);
            return new NotDelivered(reason, unsettled);
        }

    }

    @FunctionalInterface
    private interface Call {

        SessionmAnswer run() throws InterruptedException;

    }

    /**
     * A failed attempt worth retrying; its message is the one-line reason, free of
     * secrets.
     */
    static final class TransientFailure extends Exception {

        TransientFailure(String reason) {
            super(reason, null, false, false);
        }

    }

    private static ExponentialBackOff backOff(SessionmSettings settings) {
        ExponentialBackOff backOff = new ExponentialBackOff(settings.initialBackoff().toMillis(), 2);
        backOff.setMaxInterval(settings.maxBackoff().toMillis());
        backOff.setJitter(settings.initialBackoff().dividedBy(2).toMillis());
        return backOff;
    }

}
