-- Retention prunes the offers job's runs as it does tag syncs: their members' rows (sync_user) and their leavers'
-- (sync_wallet_leaver, per run). What the summary of such a run shows besides its members by state is stored too,
-- before the first row goes: its leavers by state and the members and leavers written twice. The audience's wallet
-- fingerprints (sync_audience_member_wallet) are its lasting record and are never pruned.

ALTER TABLE sync_ledger_summary ADD COLUMN leavers_staged   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_ledger_summary ADD COLUMN leavers_sending  BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_ledger_summary ADD COLUMN leavers_written  BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_ledger_summary ADD COLUMN leavers_unchanged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_ledger_summary ADD COLUMN leavers_refused  BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_ledger_summary ADD COLUMN written_again    BIGINT NOT NULL DEFAULT 0;
COMMENT ON TABLE sync_ledger_summary IS
    'The counts of a sync or offers run whose members'' rows are pruned (or being pruned): what its summary, its REST '
    'view and the metrics show from then on, in place of counting sync_user (and, for an offers run, '
    'sync_wallet_leaver). The plan''s counts stay in sync_plan; refused, rejected and in-doubt users stay in sync_user '
    '(refused leavers in sync_wallet_leaver), skipped lines in sync_skipped_line. Written by '
    'SyncLedgerSummaryRepository.';
COMMENT ON COLUMN sync_ledger_summary.leavers_staged IS
    'Offers job: leavers (sync_wallet_leaver) the summary counted as STAGED (a dry run''s: a run would clear them); '
    '0 for a tag sync.';
COMMENT ON COLUMN sync_ledger_summary.leavers_sending IS 'Offers job: leavers the summary counted as SENDING; 0 for a tag sync.';
COMMENT ON COLUMN sync_ledger_summary.leavers_written IS
    'Offers job: leavers the summary counted as WRITTEN (their attributes cleared); 0 for a tag sync.';
COMMENT ON COLUMN sync_ledger_summary.leavers_unchanged IS
    'Offers job: leavers the summary counted as UNCHANGED (offers.clear-leavers off); 0 for a tag sync.';
COMMENT ON COLUMN sync_ledger_summary.leavers_refused IS
    'Offers job: leavers the summary counted as REFUSED (their rows are kept); 0 for a tag sync.';
COMMENT ON COLUMN sync_ledger_summary.written_again IS
    'Offers job: members and leavers written while an earlier request carrying them may have landed (sync_user and '
    'sync_wallet_leaver.written_again); 0 for a tag sync.';
