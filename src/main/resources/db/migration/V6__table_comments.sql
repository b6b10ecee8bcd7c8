-- What each table and column of ours holds, as the schema stands after V5, stored in the database itself (\d+ in
-- psql shows it). The comments in V2 describe sync_user before V4 and V5 changed its key and foreign key.
-- Each table has one class that writes its SQL, in the package ledger (named in the table's comment).

COMMENT ON TABLE sync_export_object IS
    'The objects of an export as listed when its sync first started: every later run of the sync reads exactly this '
    'set, whatever the folder gains or loses afterwards. Written by SyncExportObjectRepository.';
COMMENT ON COLUMN sync_export_object.job_instance_id IS
    'The sync: a Spring Batch job instance (one export with one tag setting), shared by all its executions.';
COMMENT ON COLUMN sync_export_object.object_index IS
    'Position of the object in the listing, from 0; the high 32 bits of the user_seq of its lines.';
COMMENT ON COLUMN sync_export_object.object_name IS
    'Name of the object inside the export folder (its key is the folder''s key prefix followed by this name).';
COMMENT ON COLUMN sync_export_object.size_bytes IS 'Size of the object as listed, in bytes (compressed).';
COMMENT ON COLUMN sync_export_object.etag IS
    'ETag of the object as listed (S3''s, or the local store''s fingerprint): a resumed read checks that the object is '
    'still the one listed.';
COMMENT ON COLUMN sync_export_object.last_modified IS 'When the object was last written, as listed.';

COMMENT ON TABLE sync_user IS
    'The ledger: one row per distinct user of an export, what has been done for it and what SessionM answered. '
    'Staging writes one row per line; step removeDuplicateUsers then keeps each identifier once, at its first line. '
    'Written by SyncUserRepository.';
COMMENT ON COLUMN sync_user.job_instance_id IS
    'The sync (Spring Batch job instance). No foreign key: it costs a lookup per staged row, and the value only ever '
    'comes from the job instance that stages the row.';
COMMENT ON COLUMN sync_user.identifier IS
    'The user''s identifier exactly as in the export (external_id, or the SessionM user_id from a custom attribute or '
    'alias); collation "C": compared byte for byte.';
COMMENT ON COLUMN sync_user.user_seq IS
    'The user''s position in the export: object_index * 2^32 + line number. With job_instance_id the primary key, and '
    'the order in which users are sent and written.';
COMMENT ON COLUMN sync_user.state IS
    'STAGED (read, nothing sent), SENDING (intent committed before the call: its outcome is unknown until recorded), '
    'TAGGED, ALREADY_TAGGED (settled by reading the customer''s tags), IN_DOUBT (a counter tag was present after an '
    'unanswered call; see sessionm_code), REJECTED (SessionM refused the user for good). Values of LedgerState.';
COMMENT ON COLUMN sync_user.sessionm_status IS
    'HTTP status of SessionM''s refusal of the user (REJECTED), or of the credentials, when it gave one.';
COMMENT ON COLUMN sync_user.sessionm_code IS
    'SessionM''s error code of a refusal (of the user, or of the credentials), or why a user is IN_DOUBT: '
    'assumed_applied or resent_after_unknown_outcome.';
COMMENT ON COLUMN sync_user.sessionm_message IS
    'SessionM''s message, or why the last call did not land; control characters replaced, at most 500 characters.';
COMMENT ON COLUMN sync_user.updated_at IS 'When the user''s state or outcome was last recorded; null until first sent.';

COMMENT ON TABLE sync_skipped_line IS
    'Lines of an export that did not become a user: unreadable, without a usable identifier, or repeating a user '
    'seen at an earlier line. Written by SyncSkippedLineRepository (duplicates by SyncUserRepository, as it removes them).';
COMMENT ON COLUMN sync_skipped_line.job_instance_id IS 'The sync (Spring Batch job instance).';
COMMENT ON COLUMN sync_skipped_line.object_key IS 'Key of the export object that holds the line.';
COMMENT ON COLUMN sync_skipped_line.line_number IS 'Line number in that object, from 1, blank lines counted.';
COMMENT ON COLUMN sync_skipped_line.reason IS
    'invalid_json, wrong_type, line_too_long, missing_identifier, invalid_identifier or duplicate_user.';
COMMENT ON COLUMN sync_skipped_line.detail IS
    'What exactly was wrong, in one printable line (a duplicate names the line it repeats); at most 500 characters.';

COMMENT ON TABLE sync_bulk_file_part IS
    'Parts of a sync''s CSV bulk file that have been published, in order. A part holds the users whose user_seq lies '
    'in [first_user_seq, last_user_seq]; the next part starts after it. Written by SyncBulkFilePartRepository.';
COMMENT ON COLUMN sync_bulk_file_part.job_instance_id IS 'The sync (Spring Batch job instance).';
COMMENT ON COLUMN sync_bulk_file_part.part_number IS 'Number of the part, from 1 (part-00001.csv).';
COMMENT ON COLUMN sync_bulk_file_part.location IS 'Where the part was published: s3://bucket/key or file:/path.';
COMMENT ON COLUMN sync_bulk_file_part.first_user_seq IS 'user_seq of the first user in the part.';
COMMENT ON COLUMN sync_bulk_file_part.last_user_seq IS 'user_seq of the last user in the part.';
COMMENT ON COLUMN sync_bulk_file_part.user_count IS 'Users in the part.';
COMMENT ON COLUMN sync_bulk_file_part.row_count IS 'Rows in the part: one per user and tag, header not counted.';
COMMENT ON COLUMN sync_bulk_file_part.byte_count IS 'Size of the part in bytes.';
COMMENT ON COLUMN sync_bulk_file_part.sha256 IS 'SHA-256 of the part''s bytes, hexadecimal, as in the manifest.';
COMMENT ON COLUMN sync_bulk_file_part.published_at IS 'When the part was published.';

COMMENT ON TABLE sync_export_ready IS
    'Exports Braze said are complete (its export completion callback, received by the REST API): a scan or the API '
    'may sync them at once instead of waiting until their objects have settled. Written by SyncExportReadyRepository.';
COMMENT ON COLUMN sync_export_ready.export_location IS
    'The export folder: s3://bucket/segment-export/SEGMENT_ID/DATE/UUID-EPOCH/ (or file:/...).';
COMMENT ON COLUMN sync_export_ready.segment_id IS 'The Braze segment of the export.';
COMMENT ON COLUMN sync_export_ready.received_at IS 'When the first callback for the export was received.';
