-- Offer wallets: a segment's SessionM offer wallets written to its members' Braze profiles (job offerWalletSync),
-- only what changed since the wallet last written. The members of an export are staged in sync_user like the tag
-- sync's users, with who they are in Braze; the audience keeps, per member, the fingerprint of the wallet last written.

-- Filled only by the offers job: the tag sync stages none of them (its staging statement does not name them).
ALTER TABLE sync_user ADD COLUMN braze_user_field VARCHAR(16);
ALTER TABLE sync_user ADD COLUMN braze_user_id TEXT;
ALTER TABLE sync_user ADD COLUMN language VARCHAR(35);
ALTER TABLE sync_user ADD COLUMN written_again BOOLEAN;
ALTER TABLE sync_user ADD COLUMN braze_message VARCHAR(500);
COMMENT ON COLUMN sync_user.state IS
    'STAGED (read, nothing sent), SENDING (intent committed before the call: its outcome is unknown until recorded), '
    'TAGGED, ALREADY_TAGGED (settled by reading the customer''s tags), IN_DOUBT (a counter tag was present after an '
    'unanswered call; see sessionm_code), REJECTED (SessionM refused the user for good). The offers job: STAGED, '
    'SENDING (its attributes are in a /users/track request), WRITTEN (Braze took them), UNCHANGED (the wallet is the '
    'one last written: nothing sent), CHANGED (a dry run found it changed), REJECTED (SessionM refused the wallet read), '
    'REFUSED (Braze did not take the attributes; see braze_message). Values of LedgerState.';
COMMENT ON COLUMN sync_user.braze_user_field IS
    'Offers job: the field that names the member''s Braze profile, external_id (when the export has one) or braze_id; '
    'null for the tag sync.';
COMMENT ON COLUMN sync_user.braze_user_id IS 'Offers job: its value, as in the export; null for the tag sync.';
COMMENT ON COLUMN sync_user.language IS
    'Offers job: the member''s language in the export (ISO 639-1), which chooses the culture of the wallet read; null '
    'when it has none, and for the tag sync.';
COMMENT ON COLUMN sync_user.written_again IS
    'Offers job: true when the member''s attributes were written while an earlier execution''s request carrying them '
    'may have landed (the member was left SENDING by a run that was killed or failed): Braze got them twice.';
COMMENT ON COLUMN sync_user.braze_message IS
    'Offers job: why Braze did not take the member''s attributes (REFUSED), in its words; at most 500 characters.';

CREATE TABLE sync_audience_member_wallet (
    audience_id      BIGINT           NOT NULL,
    identifier       TEXT COLLATE "C" NOT NULL,
    fingerprint      BYTEA            NOT NULL,
    braze_user_field VARCHAR(16)      NOT NULL,
    braze_user_id    TEXT             NOT NULL,
    written_at       TIMESTAMPTZ      NOT NULL,
    job_instance_id  BIGINT           NOT NULL,
    PRIMARY KEY (audience_id, identifier)
) WITH (fillfactor = 90);
COMMENT ON TABLE sync_audience_member_wallet IS
    'What Braze holds from us for a wallet audience: per member, the wallet last written to its profile. Changed only '
    'in the transaction that records a write''s outcome (or, for a member who left, the clearing of its attributes). '
    'Room is left in its pages so that a member''s change rewrites it in place. Written by '
    'SyncAudienceMemberWalletRepository.';
COMMENT ON COLUMN sync_audience_member_wallet.audience_id IS 'The audience (sync_audience, named offers:...).';
COMMENT ON COLUMN sync_audience_member_wallet.identifier IS
    'The member''s SessionM user_id, as in the exports; collation "C".';
COMMENT ON COLUMN sync_audience_member_wallet.fingerprint IS
    'SHA-256 of the attributes last written, in canonical JSON, without the time of the read: a wallet read again is '
    'written only when its fingerprint differs.';
COMMENT ON COLUMN sync_audience_member_wallet.braze_user_field IS
    'The field the profile was written by: external_id or braze_id.';
COMMENT ON COLUMN sync_audience_member_wallet.braze_user_id IS
    'Its value: the profile that holds the attributes, and is cleared when the member leaves.';
COMMENT ON COLUMN sync_audience_member_wallet.written_at IS 'When Braze took the attributes.';
COMMENT ON COLUMN sync_audience_member_wallet.job_instance_id IS 'The run that wrote them (Spring Batch job instance).';

CREATE TABLE sync_wallet_leaver (
    job_instance_id  BIGINT           NOT NULL,
    identifier       TEXT COLLATE "C" NOT NULL,
    braze_user_field VARCHAR(16)      NOT NULL,
    braze_user_id    TEXT             NOT NULL,
    state            VARCHAR(16)      NOT NULL,
    written_again    BOOLEAN,
    braze_message    VARCHAR(500),
    updated_at       TIMESTAMPTZ,
    PRIMARY KEY (job_instance_id, identifier)
);
COMMENT ON TABLE sync_wallet_leaver IS
    'Members of a wallet audience that the export of a run no longer holds: they left the segment, and their wallet '
    'attributes are cleared once. Recorded once the export is staged. Written by SyncWalletLeaverRepository.';
COMMENT ON COLUMN sync_wallet_leaver.job_instance_id IS 'The run whose export they are not in.';
COMMENT ON COLUMN sync_wallet_leaver.identifier IS 'The member''s SessionM user_id; collation "C".';
COMMENT ON COLUMN sync_wallet_leaver.braze_user_field IS 'The field its profile was written by: external_id or braze_id.';
COMMENT ON COLUMN sync_wallet_leaver.braze_user_id IS 'Its value.';
COMMENT ON COLUMN sync_wallet_leaver.state IS
    'STAGED (to be cleared), SENDING (a /users/track request clearing it is under way), WRITTEN (cleared), REFUSED '
    '(Braze did not take the clearing), UNCHANGED (left as it is: offers.clear-leavers is off). Values of LedgerState.';
COMMENT ON COLUMN sync_wallet_leaver.written_again IS
    'True when it was cleared while an earlier execution''s request clearing it may have landed.';
COMMENT ON COLUMN sync_wallet_leaver.braze_message IS 'Why Braze did not take the clearing (REFUSED), in its words.';
COMMENT ON COLUMN sync_wallet_leaver.updated_at IS 'When its state was last recorded.';
