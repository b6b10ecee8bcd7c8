package com.loyaltybridge.tagsync.cli;

/** The text of {@code --help}. */
final class Usage {

    static final String TEXT = """
            Usage: java -jar segment-tag-sync.jar COMMAND [--option=value ...] [--spring.property=value ...]

            Commands:
              sync    Sync one Braze segment export to SessionM tags, then print a summary.
                      Running the same command again resumes a failed run, or reports a completed one.
              scan    Sync every complete, not yet synced export of the mapped segments (scan.segments),
                      oldest first; restart failed syncs up to scan.max-attempts executions; one line per export.
              serve   Run the REST API (launch, list, restart, stop, abandon; Braze's callback) until stopped.

            sync options:
              --export=LOCATION     the export folder: s3://bucket/segment-export/SEGMENT_ID/DATE/UUID-EPOCH/
                                    or file:/dir/ with the same content (required)
              --tags=A,B            tag names to put on every user (required)
              --ttl=SECONDS         time to live of the tags; leave out for counter tags
              --mode=MODE           api (one call per user), csv (bulk file), or auto (api up to
                                    sync.auto-api-max-users users, csv above); default auto
              --identifier=SOURCE   external_id (default), custom_attribute:NAME or alias:LABEL (these two
                                    hold the SessionM user_id)
              --output=LOCATION     where csv mode writes the bulk file: s3://bucket/prefix/ or file:/dir/

            Settings come from the environment (see .env.example): SESSIONM_CORE_ENDPOINT,
            SESSIONM_CORE_API_KEY, SESSIONM_CORE_API_SECRET, SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME,
            SPRING_DATASOURCE_PASSWORD. Add --spring.profiles.active=local to use an embedded PostgreSQL.

            scan and serve take no options, only settings (the segments file: SEGMENTS_FILE).

            Exit codes: 0 completed; 1 failed (run again to resume); 2 bad usage or configuration;
                        3 completed, but some users were rejected, skipped or are in doubt;
                        4 another process is running this sync.
                        scan: 1 if any export failed or was left for a person, else 3 if any needs a look, else 0.
            """;

    private Usage() {
    }
}
