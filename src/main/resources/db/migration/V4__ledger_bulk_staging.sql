-- Staging writes every user of an export into sync_user: millions of rows per run, so the cost of each row counts.
-- Measured with the benchmark (README, "Benchmarks"), per inserted row:
-- * the foreign key cost PostgreSQL one lookup of batch_job_instance (about a third of the insert). job_instance_id
--   only ever comes from the Spring Batch job instance that stages the rows, so the ledger does without it;
-- * the primary key compared identifiers with the database's collation (strcoll) on every step down the index.
--   Identifiers are only ever compared for equality, which byte order gives exactly, and faster.
ALTER TABLE sync_user DROP CONSTRAINT sync_user_job_instance_id_fkey;
ALTER TABLE sync_user ALTER COLUMN identifier TYPE TEXT COLLATE "C";
