-- The stored counts of a pruned run have a column per ledger state (SyncLedgerSummaryRepository builds its statements
-- from LedgerState): the offers job's states get theirs. Only tag syncs are pruned today, so these stay 0 for the rows
-- written so far.

ALTER TABLE sync_ledger_summary ADD COLUMN written   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_ledger_summary ADD COLUMN unchanged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_ledger_summary ADD COLUMN changed   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_ledger_summary ADD COLUMN refused   BIGINT NOT NULL DEFAULT 0;
COMMENT ON COLUMN sync_ledger_summary.written IS 'Offers job: members the summary counted as WRITTEN; 0 for a tag sync.';
COMMENT ON COLUMN sync_ledger_summary.unchanged IS 'Offers job: members the summary counted as UNCHANGED; 0 for a tag sync.';
COMMENT ON COLUMN sync_ledger_summary.changed IS 'Offers job (dry run): members the summary counted as CHANGED; 0 for a tag sync.';
COMMENT ON COLUMN sync_ledger_summary.refused IS 'Offers job: members the summary counted as REFUSED; 0 for a tag sync.';
