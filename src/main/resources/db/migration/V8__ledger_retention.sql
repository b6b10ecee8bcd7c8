-- Retention: a sync's per-user rows (sync_user, sync_left_user) are pruned once it ended longer than
-- sync.ledger-retention ago and can never run again; the audience's state is the lasting record. What the summary of
-- such a sync shows is stored first, so it still shows it afterwards.

CREATE TABLE sync_ledger_summary (
    job_instance_id BIGINT      PRIMARY KEY,
    users           BIGINT      NOT NULL,
    staged          BIGINT      NOT NULL,
    sending         BIGINT      NOT NULL,
    tagged          BIGINT      NOT NULL,
    already_tagged  BIGINT      NOT NULL,
    in_doubt        BIGINT      NOT NULL,
    rejected        BIGINT      NOT NULL,
    summarised_at   TIMESTAMPTZ NOT NULL,
    pruned_at       TIMESTAMPTZ
);
COMMENT ON TABLE sync_ledger_summary IS
    'The counts of a sync whose users'' rows are pruned (or being pruned): what its summary, its REST view and the '
    'metrics show from then on, in place of counting sync_user. The plan''s counts stay in sync_plan; refused and '
    'in-doubt users stay in sync_user, skipped lines in sync_skipped_line. Written by SyncLedgerSummaryRepository.';
COMMENT ON COLUMN sync_ledger_summary.job_instance_id IS 'The sync (Spring Batch job instance).';
COMMENT ON COLUMN sync_ledger_summary.users IS 'Distinct users of its export (rows it had in sync_user).';
COMMENT ON COLUMN sync_ledger_summary.staged IS
    'Users the summary counted as STAGED (for a plan of the difference, only among those it sent).';
COMMENT ON COLUMN sync_ledger_summary.sending IS 'Users the summary counted as SENDING.';
COMMENT ON COLUMN sync_ledger_summary.tagged IS 'Users the summary counted as TAGGED.';
COMMENT ON COLUMN sync_ledger_summary.already_tagged IS 'Users the summary counted as ALREADY_TAGGED.';
COMMENT ON COLUMN sync_ledger_summary.in_doubt IS 'Users the summary counted as IN_DOUBT (their rows are kept).';
COMMENT ON COLUMN sync_ledger_summary.rejected IS 'Users the summary counted as REJECTED (their rows are kept).';
COMMENT ON COLUMN sync_ledger_summary.summarised_at IS 'When the counts were stored, just before pruning began.';
COMMENT ON COLUMN sync_ledger_summary.pruned_at IS
    'When the last of its pruned rows went; null while pruning is under way (the next prune finishes it).';
