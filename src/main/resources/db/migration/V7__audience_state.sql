-- Audiences: what SessionM holds from us, per member and tag, so that each export of a segment sends only what
-- changed (members entering, TTL tags due for a refresh, members retried) and not every member again.

CREATE TABLE sync_audience (
    audience_id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                        VARCHAR(256)  NOT NULL,
    identifier_source           VARCHAR(300)  NOT NULL,
    segment_id                  VARCHAR(256),
    created_at                  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    last_export                 VARCHAR(2048),
    last_export_requested_at    TIMESTAMPTZ,
    last_job_instance_id        BIGINT,
    last_synced_at              TIMESTAMPTZ,
    last_tags                   VARCHAR(2500),
    last_ttl_seconds            BIGINT,
    seeded_from_job_instance_id BIGINT,
    UNIQUE (name, identifier_source)
);
COMMENT ON TABLE sync_audience IS
    'An audience: a Braze segment (or a name given with --audience) whose members are synced export after export, '
    'each export sending only what changed. Written by SyncAudienceRepository.';
COMMENT ON COLUMN sync_audience.audience_id IS 'The audience''s number, for its members'' rows.';
COMMENT ON COLUMN sync_audience.name IS 'The Braze segment id, or the name given with --audience.';
COMMENT ON COLUMN sync_audience.identifier_source IS
    'Where the member''s identifier comes from (external_id, custom_attribute:NAME, alias:LABEL): another source is '
    'another audience, as it names other customers.';
COMMENT ON COLUMN sync_audience.segment_id IS 'The Braze segment of its exports, when they are in Braze''s layout.';
COMMENT ON COLUMN sync_audience.created_at IS 'When its first sync started.';
COMMENT ON COLUMN sync_audience.last_export IS 'The export its state follows: the last one synced to the end.';
COMMENT ON COLUMN sync_audience.last_export_requested_at IS
    'When that export was requested (the EPOCH of its UUID-EPOCH folder): an older export is never synced after it.';
COMMENT ON COLUMN sync_audience.last_job_instance_id IS 'The sync of that export (Spring Batch job instance).';
COMMENT ON COLUMN sync_audience.last_synced_at IS 'When that sync completed.';
COMMENT ON COLUMN sync_audience.last_tags IS 'The tags of that sync, comma-separated.';
COMMENT ON COLUMN sync_audience.last_ttl_seconds IS 'The time to live of those tags in seconds; null for counter tags.';
COMMENT ON COLUMN sync_audience.seeded_from_job_instance_id IS
    'The sync from before audiences whose tagged users became the first members, when there was one.';

CREATE TABLE sync_audience_member_tag (
    audience_id     BIGINT        NOT NULL,
    identifier      TEXT COLLATE "C" NOT NULL,
    tag             TEXT COLLATE "C" NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    tagged_at       TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ,
    job_instance_id BIGINT        NOT NULL,
    changed_at      TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (audience_id, identifier, tag)
) WITH (fillfactor = 90);
COMMENT ON TABLE sync_audience_member_tag IS
    'What SessionM holds from us: one row per audience, member and tag. It changes only in the transaction that '
    'records its cause (the intent before a call, the call''s outcome, a published bulk file part, the end of a sync '
    'for members who left). Room is left in its pages so that a member''s change rewrites it in place. Written by '
    'SyncAudienceMemberTagRepository.';
COMMENT ON COLUMN sync_audience_member_tag.audience_id IS 'The audience (sync_audience).';
COMMENT ON COLUMN sync_audience_member_tag.identifier IS 'The member''s identifier, as in the exports; collation "C".';
COMMENT ON COLUMN sync_audience_member_tag.tag IS 'The tag; collation "C".';
COMMENT ON COLUMN sync_audience_member_tag.status IS
    'SENDING (a call was about to carry it: it may have landed; the next plan settles it by reading first), TAGGED '
    '(SessionM took it, or a bulk file part carrying it was published), IN_DOUBT (a counter tag found present after '
    'an unanswered call, counted as applied), REJECTED (SessionM refused the customer: tried again by the next plan), '
    'LEFT (the member was not in a later export). Values of MemberTagStatus.';
COMMENT ON COLUMN sync_audience_member_tag.tagged_at IS 'When SessionM last took the tag (or its part was published).';
COMMENT ON COLUMN sync_audience_member_tag.expires_at IS
    'When an expiring tag ends: tagged_at plus its time to live; null for a counter tag.';
COMMENT ON COLUMN sync_audience_member_tag.job_instance_id IS 'The sync that made the last change.';
COMMENT ON COLUMN sync_audience_member_tag.changed_at IS 'When the row last changed.';

ALTER TABLE sync_user ADD COLUMN send_reason VARCHAR(16);
ALTER TABLE sync_user ADD COLUMN tags_due TEXT[];
COMMENT ON COLUMN sync_user.send_reason IS
    'Why the user is sent (or written to the bulk file): ENTERING, REFRESH, RETRY or FULL; null for a member whose '
    'tags need nothing this time. Staged with the plan''s reason when every user is sent; set by step planAudience '
    'for the users that need something. Values of SendReason.';
COMMENT ON COLUMN sync_user.tags_due IS
    'The tags this user is sent when not all of the sync''s tags are due (a tag added to the audience, a TTL tag due '
    'before another); null for all of them.';

CREATE TABLE sync_left_user (
    job_instance_id BIGINT        NOT NULL,
    identifier      TEXT COLLATE "C" NOT NULL,
    tags            TEXT[]        NOT NULL,
    PRIMARY KEY (job_instance_id, identifier)
);
COMMENT ON TABLE sync_left_user IS
    'Members of the audience that the export of a sync no longer holds: they left the segment. Recorded by the plan, '
    'so they can be listed after the audience has moved on. Written by SyncLeftUserRepository.';
COMMENT ON COLUMN sync_left_user.job_instance_id IS 'The sync whose export they are not in.';
COMMENT ON COLUMN sync_left_user.identifier IS 'The member who left; collation "C".';
COMMENT ON COLUMN sync_left_user.tags IS
    'The audience''s tags the member had from us (nothing can take them away in SessionM; an expiring one runs out).';

CREATE TABLE sync_plan (
    job_instance_id        BIGINT      PRIMARY KEY,
    audience_id            BIGINT,
    kind                   VARCHAR(16) NOT NULL,
    why                    VARCHAR(32) NOT NULL,
    run_start              TIMESTAMPTZ NOT NULL,
    refresh_before_seconds BIGINT,
    entering               BIGINT,
    refresh                BIGINT,
    retry                  BIGINT,
    unchanged              BIGINT,
    leaving                BIGINT,
    planned_at             TIMESTAMPTZ
);
COMMENT ON TABLE sync_plan IS
    'What a sync sends and why, decided once before its export is staged (the kind) and after (the counts): a resumed '
    'run, a dry run and the summary all read the same plan. Written by SyncPlanRepository.';
COMMENT ON COLUMN sync_plan.job_instance_id IS 'The sync (Spring Batch job instance).';
COMMENT ON COLUMN sync_plan.audience_id IS 'Its audience (sync_audience); null when the export has none.';
COMMENT ON COLUMN sync_plan.kind IS
    'EVERYONE (every user is sent) or DIFFERENCE (only those the audience''s state says need something). Values of '
    'PlanKind.';
COMMENT ON COLUMN sync_plan.why IS
    'Why that kind: NO_AUDIENCE, FIRST_SYNC, FULL, SEEDED (the state came from a sync from before audiences) or '
    'STATE. Values of PlanReason.';
COMMENT ON COLUMN sync_plan.run_start IS
    'When the sync first started: expiring tags that end before it plus refresh_before_seconds are refreshed.';
COMMENT ON COLUMN sync_plan.refresh_before_seconds IS 'sync.ttl-refresh-before for this sync; null for counter tags.';
COMMENT ON COLUMN sync_plan.entering IS 'Users entering the audience (not in it before, or back after leaving).';
COMMENT ON COLUMN sync_plan.refresh IS 'Users whose expiring tags are due for a refresh.';
COMMENT ON COLUMN sync_plan.retry IS 'Users SessionM refused, or left in doubt, last time: tried again.';
COMMENT ON COLUMN sync_plan.unchanged IS 'Users staying in the audience who need nothing this time.';
COMMENT ON COLUMN sync_plan.leaving IS 'Members of the audience not in this export (sync_left_user).';
COMMENT ON COLUMN sync_plan.planned_at IS 'When the counts were taken (step planAudience); null before.';
