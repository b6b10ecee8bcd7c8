package com.loyaltybridge.tagsync.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What SessionM holds from us, per audience, member and tag (table
 * {@code sync_audience_member_tag}).
 * <p>
 * Its rows change only in the transaction that records their cause, so that a crash can
 * neither lose a tag we sent nor record one we did not: the intent before a call
 * ({@link #recordIntents}) and its outcome ({@link #recordOutcomes}) in the ledger's own
 * transactions, a published bulk file part ({@link #recordPublished}) in the transaction
 * that records the part, the members who left ({@link #markLeft}) at the end of a sync.
 */
@Repository
public class SyncAudienceMemberTagRepository {

    /** Statuses of a member who holds the tag from us (or is counted as holding it). */
    private static final String HOLDING = MemberTagStatus.TAGGED.literal() + ", " + MemberTagStatus.IN_DOUBT.literal();

    private static final String UPSERT = """
            INSERT INTO sync_audience_member_tag AS m
                (audience_id, identifier, tag, status, tagged_at, expires_at, job_instance_id, changed_at)
            SELECT ?, c.identifier, c.tag, c.status,
                   CASE WHEN c.status IN (%1$s) THEN now() END,
                   CASE WHEN c.status = %2$s AND ?::bigint IS NOT NULL THEN now() + ?::bigint * interval '1 second' END,
                   ?, now()
            FROM unnest(?::text[], ?::text[], ?::text[]) AS c(identifier, tag, status)
            ON CONFLICT (audience_id, identifier, tag) DO UPDATE SET
                status = excluded.status,
                tagged_at = CASE WHEN excluded.status IN (%1$s) THEN excluded.tagged_at ELSE m.tagged_at END,
                expires_at = CASE WHEN excluded.status IN (%1$s) THEN excluded.expires_at ELSE m.expires_at END,
                job_instance_id = excluded.job_instance_id,
                changed_at = now()""".formatted(HOLDING, MemberTagStatus.TAGGED.literal());

    private final JdbcTemplate jdbc;

    public SyncAudienceMemberTagRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One member's tags, as one change of the audience's state carries them. */
    public record MemberTags(String identifier, List<String> tags, MemberTagStatus status) {
    }

    /**
     * Where a plan reads the audience's state from: a query yielding
     * {@code identifier, tag, status, expires_at}, with its parameters. Usually the
     * audience's rows; for its first sync after an upgrade, the tagged users of its last
     * sync from before audiences (see {@link #seedOf}).
     */
    public record StateSource(String sql, List<Object> parameters) {
    }

    /** The audience's own rows. */
    public StateSource stateOf(long audienceId) {
        return new StateSource("""
                SELECT identifier, tag, status, expires_at FROM sync_audience_member_tag WHERE audience_id = ?""",
                List.of(audienceId));
    }

    /**
     * The members a sync from before audiences leaves: the users SessionM took (or, for a
     * bulk file, every user written), each with its tags, tagged when that sync ended.
     */
    public StateSource seedOf(SyncPlanRepository.BeforeAudiences before) {
        boolean wroteBulkFile = Boolean.TRUE
            .equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM sync_bulk_file_part WHERE job_instance_id = ?)",
                    Boolean.class, before.jobInstanceId()));
        String taken = wroteBulkFile ? "TRUE" : "u.state IN ('" + LedgerState.TAGGED + "', '"
                + LedgerState.ALREADY_TAGGED + "', '" + LedgerState.IN_DOUBT + "')";
        return new StateSource(
                """
                        SELECT u.identifier, t.tag, %s AS status,
                               CASE WHEN ?::bigint IS NOT NULL THEN ?::timestamptz + ?::bigint * interval '1 second' END AS expires_at
                        FROM sync_user AS u CROSS JOIN unnest(?::text[]) AS t(tag)
                        WHERE u.job_instance_id = ? AND %s"""
                    .formatted(MemberTagStatus.TAGGED.literal(), taken),
                List.of(SqlParameters.nullable(before.ttlSeconds()), Timestamp.from(before.endedAt()),
                        SqlParameters.nullable(before.ttlSeconds()), before.tags().toArray(String[]::new),
                        before.jobInstanceId()));
    }

    /**
     * Makes the members of {@code source} the audience's first ones, tagged when that
     * sync ended.
     */
    public int seed(long audienceId, long jobInstanceId, StateSource source, Instant taggedAt) {
        List<Object> parameters = new ArrayList<>(List.of(audienceId, Timestamp.from(taggedAt), jobInstanceId));
        parameters.addAll(source.parameters());
        return jdbc.update(SqlParameters.statement("""
                INSERT INTO sync_audience_member_tag (audience_id, identifier, tag, status, tagged_at, expires_at,
                    job_instance_id, changed_at)
                SELECT ?, s.identifier, s.tag, s.status, ?, s.expires_at, ?, now() FROM (%s) AS s
                ON CONFLICT DO NOTHING""".formatted(source.sql()), parameters));
    }

    /**
     * Whether the audience has any state: a sync of it has recorded at least one intent
     * or part.
     */
    public boolean hasState(long audienceId) {
        return Boolean.TRUE
            .equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM sync_audience_member_tag WHERE audience_id = ?)",
                    Boolean.class, audienceId));
    }

    /**
     * Calls are about to carry these members' tags: they may land from now on. In the
     * caller's transaction.
     */
    public void recordIntents(long audienceId, long jobInstanceId, List<MemberTags> members) {
        upsert(audienceId, jobInstanceId, members, null);
    }

    /**
     * What became of these members' tags; {@code ttlSeconds} their time to live (null for
     * counter tags). In the caller's transaction.
     */
    public void recordOutcomes(long audienceId, long jobInstanceId, List<MemberTags> members, Long ttlSeconds) {
        upsert(audienceId, jobInstanceId, members, ttlSeconds);
    }

    private void upsert(long audienceId, long jobInstanceId, List<MemberTags> members, Long ttlSeconds) {
        List<String> identifiers = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (MemberTags member : members) {
            for (String tag : member.tags()) {
                identifiers.add(member.identifier());
                tags.add(tag);
                statuses.add(member.status().name());
            }
        }
        if (identifiers.isEmpty()) {
            return;
        }
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(UPSERT);
            statement.setLong(1, audienceId);
            statement.setObject(2, ttlSeconds);
            statement.setObject(3, ttlSeconds);
            statement.setLong(4, jobInstanceId);
            statement.setArray(5, textArray(connection, identifiers));
            statement.setArray(6, textArray(connection, tags));
            statement.setArray(7, textArray(connection, statuses));
            return statement;
        });
    }

    /**
     * The users of a published bulk file part (those the plan sends, from
     * {@code firstUserSeq} to {@code lastUserSeq}) now hold their tags: publication is
     * the delivery we can know. In the caller's transaction, the one that records the
     * part.
     */
    public int recordPublished(long audienceId, long jobInstanceId, long firstUserSeq, long lastUserSeq,
            List<String> allTags, Long ttlSeconds) {
        return jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO sync_audience_member_tag AS m
                        (audience_id, identifier, tag, status, tagged_at, expires_at, job_instance_id, changed_at)
                    SELECT ?, u.identifier, t.tag, %1$s, now(),
                           CASE WHEN ?::bigint IS NOT NULL THEN now() + ?::bigint * interval '1 second' END, ?, now()
                    FROM sync_user AS u CROSS JOIN LATERAL unnest(coalesce(u.tags_due, ?::text[])) AS t(tag)
                    WHERE u.job_instance_id = ? AND u.user_seq BETWEEN ? AND ? AND %2$s
                    ON CONFLICT (audience_id, identifier, tag) DO UPDATE SET status = excluded.status,
                        tagged_at = excluded.tagged_at, expires_at = excluded.expires_at,
                        job_instance_id = excluded.job_instance_id, changed_at = now()"""
                .formatted(MemberTagStatus.TAGGED.literal(), SyncUserRepository.TO_SEND.formatted("u")));
            statement.setLong(1, audienceId);
            statement.setObject(2, ttlSeconds);
            statement.setObject(3, ttlSeconds);
            statement.setLong(4, jobInstanceId);
            statement.setArray(5, textArray(connection, allTags));
            statement.setLong(6, jobInstanceId);
            statement.setLong(7, firstUserSeq);
            statement.setLong(8, lastUserSeq);
            return statement;
        });
    }

    /**
     * The members a sync found gone ({@code sync_left_user}) no longer hold anything from
     * us, as far as we send.
     */
    public int markLeft(long audienceId, long jobInstanceId) {
        return jdbc
            .update("""
                    UPDATE sync_audience_member_tag AS m SET status = %s, job_instance_id = ?, changed_at = now()
                    FROM sync_left_user AS l
                    WHERE l.job_instance_id = ? AND m.audience_id = ? AND m.identifier = l.identifier AND m.status IN (%s)"""
                .formatted(MemberTagStatus.LEFT.literal(), HOLDING), jobInstanceId, jobInstanceId, audienceId);
    }

    /**
     * Forgets the members {@code jobInstanceId} found gone (its {@code sync_left_user}
     * rows after {@code afterIdentifier} up to {@code lastIdentifier}) whose tags are
     * still LEFT since then, in the caller's transaction, before those rows go: a member
     * who returns is entering whether its row says LEFT or is not there. Returns the rows
     * deleted.
     */
    public int deleteLeft(long audienceId, long jobInstanceId, String afterIdentifier, String lastIdentifier) {
        return jdbc.update(
                """
                        DELETE FROM sync_audience_member_tag AS m USING sync_left_user AS l
                        WHERE l.job_instance_id = ? AND l.identifier > ? AND l.identifier <= ?
                          AND m.audience_id = ? AND m.identifier = l.identifier AND m.status = %s AND m.job_instance_id = ?"""
                    .formatted(MemberTagStatus.LEFT.literal()),
                jobInstanceId, afterIdentifier, lastIdentifier, audienceId, jobInstanceId);
    }

    /** Members now (those whose tags are not all LEFT), by the status of their tags. */
    public Map<MemberTagStatus, Long> countByStatus(long audienceId) {
        Map<MemberTagStatus, Long> counts = new java.util.EnumMap<>(MemberTagStatus.class);
        jdbc.query(
                "SELECT status, count(DISTINCT identifier) FROM sync_audience_member_tag WHERE audience_id = ? GROUP BY status",
                rs -> {
                    counts.put(MemberTagStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }, audienceId);
        return counts;
    }

    /** Members of the audience now: those with a tag that is not LEFT. */
    public long memberCount(long audienceId) {
        return jdbc.queryForObject(
                """
                        SELECT count(DISTINCT identifier) FROM sync_audience_member_tag WHERE audience_id = ? AND status <> %s"""
                    .formatted(MemberTagStatus.LEFT.literal()),
                Long.class, audienceId);
    }

    /**
     * When the first expiring tag held from us ends: the next refresh wave is due that
     * long before.
     */
    public Optional<Instant> firstExpiry(long audienceId) {
        Timestamp first = jdbc.queryForObject("""
                SELECT min(expires_at) FROM sync_audience_member_tag WHERE audience_id = ? AND status IN (%s)"""
            .formatted(HOLDING), Timestamp.class, audienceId);
        return Optional.ofNullable(first).map(Timestamp::toInstant);
    }

    /**
     * Members holding a tag from us that a sync starting now would refresh: one of their
     * expiring tags ends before {@code dueBefore} (the run's start plus
     * {@code sync.ttl-refresh-before}), or has no end recorded, as a plan of the
     * difference decides it (see {@code SyncUserRepository.planDifference}), for the
     * members still in the audience.
     */
    public long refreshDueCount(long audienceId, Instant dueBefore) {
        return jdbc.queryForObject("""
                SELECT count(DISTINCT identifier) FROM sync_audience_member_tag
                WHERE audience_id = ? AND status IN (%s) AND (expires_at IS NULL OR expires_at < ?)"""
            .formatted(HOLDING), Long.class, audienceId, Timestamp.from(dueBefore));
    }

    /** One member of an audience: each of its tags as we hold it. */
    public record Member(String identifier, List<MemberTag> tags) {
    }

    /**
     * One tag of a member.
     *
     * @param taggedAt when SessionM last took it; null when it never did
     * @param expiresAt when an expiring tag ends; null for a counter tag
     */
    public record MemberTag(String tag, MemberTagStatus status, Instant taggedAt, Instant expiresAt) {
    }

    /**
     * One page of the audience's members by identifier, each with all its tags: those
     * with a tag in {@code status}, or when it is null those that are members now (a tag
     * not LEFT).
     */
    public List<Member> members(long audienceId, MemberTagStatus status, int limit, long offset) {
        List<Member> members = new ArrayList<>();
        jdbc.query("""
                SELECT identifier, tag, status, tagged_at, expires_at FROM sync_audience_member_tag
                WHERE audience_id = ? AND identifier IN (
                    SELECT DISTINCT identifier FROM sync_audience_member_tag WHERE audience_id = ? AND %s
                    ORDER BY identifier LIMIT ? OFFSET ?)
                ORDER BY identifier, tag""".formatted(statusFilter(status)), rs -> {
            String identifier = rs.getString(1);
            if (members.isEmpty() || !members.get(members.size() - 1).identifier().equals(identifier)) {
                members.add(new Member(identifier, new ArrayList<>()));
            }
            members.get(members.size() - 1)
                .tags()
                .add(new MemberTag(rs.getString(2), MemberTagStatus.valueOf(rs.getString(3)),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))));
        }, audienceId, audienceId, limit, offset);
        return members.stream().map(member -> new Member(member.identifier(), List.copyOf(member.tags()))).toList();
    }

    /** How many members {@link #members} pages through. */
    public long memberCount(long audienceId, MemberTagStatus status) {
        return jdbc
            .queryForObject("SELECT count(DISTINCT identifier) FROM sync_audience_member_tag WHERE audience_id = ? AND "
                    + statusFilter(status), Long.class, audienceId);
    }

    /**
     * Members with a tag in {@code status}; with none given, members now: a tag that is
     * not LEFT.
     */
    private static String statusFilter(MemberTagStatus status) {
        return status == null ? "status <> " + MemberTagStatus.LEFT.literal() : "status = " + status.literal();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static java.sql.Array textArray(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(String[]::new));
    }

}
