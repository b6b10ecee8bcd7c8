-- Braze's export completion callbacks, as received: an export listed here is complete, so a scan or the
-- REST API may sync it at once instead of waiting until its objects have settled.
CREATE TABLE sync_export_ready (
    export_location VARCHAR(2048) PRIMARY KEY,
    segment_id      VARCHAR(256)  NOT NULL,
    received_at     TIMESTAMPTZ   NOT NULL
);
