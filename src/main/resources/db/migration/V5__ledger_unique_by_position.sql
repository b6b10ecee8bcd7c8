-- Staging kept the ledger unique on identifier as well as on position. Every insert then looked up a random place in
-- the identifier index: about 6 of the 8.7 seconds PostgreSQL took to store a million users on the benchmark machine.
-- Duplicates are now found in one pass after staging (step removeDuplicateUsers, a sort of the sync's users), and
-- the position alone identifies a row.
ALTER TABLE sync_user DROP CONSTRAINT sync_user_pkey;
DROP INDEX sync_user_by_position;
ALTER TABLE sync_user ADD CONSTRAINT sync_user_pkey PRIMARY KEY (job_instance_id, user_seq);
