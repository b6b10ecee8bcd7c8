package com.loyaltybridge.tagsync.ledger;

import java.sql.PreparedStatement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What Braze holds from us for a wallet audience (table
 * {@code sync_audience_member_wallet}): per member, the fingerprint of the wallet last
 * written to its profile, which profile, and when. It changes only with the outcome that
 * causes it: a write Braze took ({@link #recordWritten}, in the chunk's transaction with
 * the member's ledger row), or a leaver's attributes cleared ({@link #forget}, with the
 * leaver's row). Every method costs one round trip.
 */
@Repository
public class SyncAudienceMemberWalletRepository {

    private static final String LAST_WRITTEN = """
            SELECT identifier, encode(fingerprint, 'hex'), braze_user_field, braze_user_id
            FROM sync_audience_member_wallet WHERE audience_id = ? AND identifier = ANY(?::text[])""";

    private static final String RECORD_WRITTEN = """
            INSERT INTO sync_audience_member_wallet AS w (audience_id, identifier, fingerprint, braze_user_field, braze_user_id,
                                                          written_at, job_instance_id)
            SELECT ?, m.identifier, decode(m.fingerprint, 'hex'), m.braze_user_field, m.braze_user_id, now(), ?
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS m(identifier, fingerprint, braze_user_field, braze_user_id)
            ON CONFLICT (audience_id, identifier) DO UPDATE
            SET fingerprint = excluded.fingerprint, braze_user_field = excluded.braze_user_field,
                braze_user_id = excluded.braze_user_id, written_at = excluded.written_at,
                job_instance_id = excluded.job_instance_id""";

    private final JdbcTemplate jdbc;

    public SyncAudienceMemberWalletRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A wallet written to a member's profile.
     *
     * @param fingerprint the wallet's fingerprint, 64 hex digits
     * @param brazeUserField the field that names the profile: {@code external_id} or
     * {@code braze_id}
     */
    public record Written(String identifier, String fingerprint, String brazeUserField, String brazeUserId) {
    }

    /**
     * The wallets last written for those of {@code identifiers} that have one, by
     * identifier.
     */
    public Map<String, Written> lastWritten(long audienceId, Collection<String> identifiers) {
        Map<String, Written> written = new HashMap<>();
        if (identifiers.isEmpty()) {
            return written;
        }
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(LAST_WRITTEN);
            statement.setLong(1, audienceId);
            statement.setArray(2, connection.createArrayOf("text", identifiers.toArray(String[]::new)));
            return statement;
        }, rs -> {
            written.put(rs.getString(1),
                    new Written(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        });
        return written;
    }

    /** Records, in the caller's transaction, that Braze took these wallets now. */
    public void recordWritten(long audienceId, long jobInstanceId, List<Written> written) {
        if (written.isEmpty()) {
            return;
        }
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(RECORD_WRITTEN);
            statement.setLong(1, audienceId);
            statement.setLong(2, jobInstanceId);
            statement.setArray(3,
                    connection.createArrayOf("text", written.stream().map(Written::identifier).toArray(String[]::new)));
            statement.setArray(4, connection.createArrayOf("text",
                    written.stream().map(Written::fingerprint).toArray(String[]::new)));
            statement.setArray(5, connection.createArrayOf("text",
                    written.stream().map(Written::brazeUserField).toArray(String[]::new)));
            statement.setArray(6, connection.createArrayOf("text",
                    written.stream().map(Written::brazeUserId).toArray(String[]::new)));
            return statement;
        });
    }

    /**
     * Forgets these members, in the caller's transaction: they left, and their attributes
     * were cleared (or left).
     */
    public void forget(long audienceId, Collection<String> identifiers) {
        if (identifiers.isEmpty()) {
            return;
        }
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM sync_audience_member_wallet WHERE audience_id = ? AND identifier = ANY(?::text[])");
            statement.setLong(1, audienceId);
            statement.setArray(2, connection.createArrayOf("text", identifiers.toArray(String[]::new)));
            return statement;
        });
    }

    /**
     * Forgets, in the caller's transaction, the audience's members that the run
     * {@code jobInstanceId} recorded as leavers in {@code state} (see
     * {@code SyncWalletLeaverRepository}): their attributes are left as they are.
     */
    public int forgetLeavers(long audienceId, long jobInstanceId, LedgerState state) {
        return jdbc.update("""
                DELETE FROM sync_audience_member_wallet AS w USING sync_wallet_leaver AS l
                WHERE w.audience_id = ? AND l.job_instance_id = ? AND l.identifier = w.identifier AND l.state = ?""",
                audienceId, jobInstanceId, state.name());
    }

    /**
     * Whether any wallet of the audience was written: its runs write only what changed
     * since.
     */
    public boolean hasState(long audienceId) {
        return Boolean.TRUE.equals(
                jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM sync_audience_member_wallet WHERE audience_id = ?)",
                        Boolean.class, audienceId));
    }

    /**
     * The members with a wallet written, as a query yielding
     * {@code identifier, braze_user_field, braze_user_id} with its parameters, for a
     * statement of another table (the leavers').
     */
    public record Members(String sql, List<Object> parameters) {
    }

    /** The audience's members: see {@link Members}. */
    public Members membersOf(long audienceId) {
        return new Members(
                """
                        SELECT identifier, braze_user_field, braze_user_id FROM sync_audience_member_wallet WHERE audience_id = ?""",
                List.of(audienceId));
    }

    public long memberCount(long audienceId) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_audience_member_wallet WHERE audience_id = ?", Long.class,
                audienceId);
    }

}
