-- State of segment tag syncs. Every row belongs to one Spring Batch job instance (one export with one
-- tag setting), so restarts of that instance share it and other instances never see it.

-- The objects of an export as listed when its sync first started: restarts read exactly this set,
-- even if the export folder gains or loses files afterwards.
CREATE TABLE sync_export_object (
    job_instance_id BIGINT        NOT NULL REFERENCES batch_job_instance (job_instance_id),
    object_index    INT           NOT NULL,
    object_name     VARCHAR(1024) NOT NULL,
    size_bytes      BIGINT        NOT NULL,
    etag            VARCHAR(256),
    last_modified   TIMESTAMPTZ,
    PRIMARY KEY (job_instance_id, object_index)
);

-- The ledger: one row per distinct user of the export. user_seq is the user's position in the export
-- (object_index * 2^32 + line_number), so export order is also ledger order.
-- state: STAGED (read, nothing sent), SENDING (intent committed before the call: outcome unknown until
-- completed), TAGGED, ALREADY_TAGGED (settled by reading the customer's tags), IN_DOUBT (a counter tag
-- was present after an unanswered call: assumed applied, see README), REJECTED (SessionM refused the user).
CREATE TABLE sync_user (
    job_instance_id  BIGINT       NOT NULL REFERENCES batch_job_instance (job_instance_id),
    identifier       TEXT         NOT NULL,
    user_seq         BIGINT       NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    sessionm_status  INT,
    sessionm_code    VARCHAR(100),
    sessionm_message VARCHAR(500),
    updated_at       TIMESTAMPTZ,
    PRIMARY KEY (job_instance_id, identifier)
);
CREATE UNIQUE INDEX sync_user_by_position ON sync_user (job_instance_id, user_seq);

-- Lines of the export that did not become a user: unreadable, without identifier, or a duplicate.
CREATE TABLE sync_skipped_line (
    job_instance_id BIGINT        NOT NULL REFERENCES batch_job_instance (job_instance_id),
    object_key      VARCHAR(1024) NOT NULL,
    line_number     BIGINT        NOT NULL,
    reason          VARCHAR(32)   NOT NULL,
    detail          VARCHAR(500),
    PRIMARY KEY (job_instance_id, object_key, line_number)
);

-- Parts of a CSV bulk file that have been published, in order; a part covers the users whose
-- user_seq lies in [first_user_seq, last_user_seq].
CREATE TABLE sync_bulk_file_part (
    job_instance_id BIGINT        NOT NULL REFERENCES batch_job_instance (job_instance_id),
    part_number     INT           NOT NULL,
    location        VARCHAR(2048) NOT NULL,
    first_user_seq  BIGINT        NOT NULL,
    last_user_seq   BIGINT        NOT NULL,
    user_count      BIGINT        NOT NULL,
    row_count       BIGINT        NOT NULL,
    byte_count      BIGINT        NOT NULL,
    sha256          CHAR(64)      NOT NULL,
    published_at    TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (job_instance_id, part_number)
);
