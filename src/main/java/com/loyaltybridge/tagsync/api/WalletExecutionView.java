package com.loyaltybridge.tagsync.api;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import com.loyaltybridge.tagsync.ledger.LedgerState;
import com.loyaltybridge.tagsync.scan.SegmentMapping;
import com.loyaltybridge.tagsync.wallet.OfferWalletSummary;
import com.loyaltybridge.tagsync.wallet.WalletPace;
import com.loyaltybridge.tagsync.wallet.WalletPlans;

/**
 * One execution of the offers job, as the API shows it: the counts cover the whole run
 * (every execution of its job instance), the times and pace this execution. The same
 * numbers as the summary the command line prints.
 *
 * @param identifier where the members' SessionM user_id is read
 * @param culture the culture of members without a language; null for
 * {@code sessionm.connect.culture}
 * @param audience the audience of the run ({@code offers:SEGMENT}, or the name given);
 * null without one (every wallet is written)
 * @param plan why the run writes what it writes, in words; null before its plan was made
 * @param progressPercent members whose wallet is done out of the export's members
 * @param membersPerSecond members this execution read a wallet for, per second of its run
 * @param connect SessionM Connect's traffic while this execution read wallets; null if it
 * read none
 * @param braze Braze's traffic while it wrote them; null if it read none
 * @param dryRunEstimate for a dry run, what the real run would write; null otherwise
 */
public record WalletExecutionView(long id, long jobInstanceId, String segmentId, String export, String identifier,
        String culture, String audience, boolean full, boolean dryRun, String status, String exitCode,
        String exitDescription, LocalDateTime startTime, LocalDateTime endTime, double durationSeconds, String plan,
        Counts counts, Leavers leavers, Map<String, Long> rejectedByCode, Map<String, Long> refusedByMessage,
        Map<String, Long> skippedByReason, double progressPercent, double membersPerSecond,
        List<ExecutionView.StepView> steps, Traffic connect, Traffic braze,
        DryRunEstimate dryRunEstimate) implements ExecutionDetails {

    /**
     * The members of the run by what became of their wallet.
     *
     * @param walletsRead wallets read and compared with the one last written
     * @param changed wallets that differ from the one last written (or, with full, every
     * one)
     * @param written wallets written to Braze
     * @param unchanged wallets equal to the one last written: nothing sent
     * @param rejected members SessionM does not know (or refused), by its code in
     * rejectedByCode
     * @param refused members whose attributes Braze did not take, by its message in
     * refusedByMessage
     * @param notYetDone members whose wallet is still to be read or written
     * @param brazeRequests {@code /users/track} requests that wrote wallets
     * @param writtenAgain members and leavers written while an earlier request carrying
     * them may have landed (Braze got them twice)
     */
    public record Counts(long members, long walletsRead, long changed, long written, long unchanged, long rejected,
            long refused, long notYetDone, long skippedLines, long brazeRequests, long writtenAgain) {
    }

    /**
     * Members who left the audience since its last export: their wallet attributes are
     * cleared once.
     *
     * @param keptAsTheyAre left alone because {@code offers.clear-leavers} is off
     */
    public record Leavers(long total, long cleared, long refused, long keptAsTheyAre, long notYetCleared,
            long clearingRequests) {
    }

    /**
     * @param requestsPerSecond requests (wallet reads) per second over this execution's
     * step
     * @param configuredRequestsPerSecond the configured limit; 0 for none
     */
    public record Traffic(long requests, double requestsPerSecond, double configuredRequestsPerSecond,
            Long latencyP50Millis, Long latencyP99Millis) {
    }

    /**
     * @param changed wallets the real run would write
     * @param brazeRequests requests writing them would take
     * @param leavers members the real run would clear
     * @param clearingRequests requests clearing them would take
     * @param firstChanged the first changed members, by identifier, in export order
     * @param firstLeavers the first leavers, by identifier
     */
    public record DryRunEstimate(long changed, long brazeRequests, long leavers, long clearingRequests,
            List<String> firstChanged, List<String> firstLeavers) {
    }

    @Override
    public String kind() {
        return SegmentMapping.Kind.OFFERS.text();
    }

    static WalletExecutionView of(JobExecution execution, OfferWalletSummary summary) {
        Counts counts = new Counts(summary.members(), summary.walletsRead(), summary.changed(),
                summary.count(LedgerState.WRITTEN), summary.count(LedgerState.UNCHANGED), summary.rejected(),
                summary.count(LedgerState.REFUSED), summary.pending(), summary.skipped(), summary.brazeRequests(),
                summary.writtenAgain());
        Leavers leavers = new Leavers(summary.leaversTotal(), summary.leavers(LedgerState.WRITTEN),
                summary.leavers(LedgerState.REFUSED), summary.leavers(LedgerState.UNCHANGED),
                summary.leavers(LedgerState.STAGED) + summary.leavers(LedgerState.SENDING), summary.clearingRequests());
        List<ExecutionView.StepView> steps = execution.getStepExecutions()
            .stream()
            .sorted(Comparator.comparing(StepExecution::getId))
            .map(ExecutionView.StepView::of)
            .toList();
        String exitDescription = ExecutionView.exitDescriptionOf(execution, summary.failures());
        double seconds = summary.duration().toMillis() / 1000.0;
        WalletPace pace = summary.pace();
        DryRunEstimate estimate = summary.dryRun()
                ? new DryRunEstimate(summary.count(LedgerState.CHANGED),
                        summary.requestsNeeded(summary.count(LedgerState.CHANGED)), summary.leaversTotal(),
                        summary.requestsNeeded(summary.leaversTotal()), summary.firstChanged(), summary.firstLeavers())
                : null;
        return new WalletExecutionView(execution.getId(), summary.jobInstanceId(), summary.request().segmentId(),
                summary.request().export().uri(), summary.request().identifierSource().text(),
                summary.request().culture(), summary.audience(), summary.request().full(), summary.dryRun(),
                execution.getStatus().name(), execution.getExitStatus().getExitCode(), exitDescription,
                execution.getStartTime(), execution.getEndTime(), seconds,
                summary.why() == null ? null : WalletPlans.describe(summary.why()), counts, leavers,
                summary.rejectedByCode(), summary.refusedByMessage(), summary.skippedByReason(),
                progressPercent(execution, summary), seconds == 0 ? 0 : summary.membersThisExecution() / seconds, steps,
                pace == null ? null : connect(pace), pace == null || summary.dryRun() ? null : braze(pace), estimate);
    }

    private static Traffic connect(WalletPace pace) {
        return new Traffic(pace.reads(), pace.seconds() <= 0 ? 0 : pace.reads() / pace.seconds(), pace.connectRate(),
                pace.readP50() == null ? null : pace.readP50().toMillis(),
                pace.readP99() == null ? null : pace.readP99().toMillis());
    }

    private static Traffic braze(WalletPace pace) {
        return new Traffic(pace.brazeRequests(), pace.seconds() <= 0 ? 0 : pace.brazeRequests() / pace.seconds(),
                pace.brazeRate(), pace.brazeP50() == null ? null : pace.brazeP50().toMillis(),
                pace.brazeP99() == null ? null : pace.brazeP99().toMillis());
    }

    private static double progressPercent(JobExecution execution, OfferWalletSummary summary) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return 100;
        }
        if (summary.members() == 0) {
            return 0;
        }
        double done = summary.members() - summary.pending();
        return Math.min(100, Math.floor(done * 1000.0 / summary.members()) / 10);
    }

}
