package com.loyaltybridge.tagsync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import com.loyaltybridge.tagsync.support.MigratedDatabase;

/**
 * The schema describes itself: after the migrations, every table and column of ours
 * carries a comment.
 */
class SchemaCommentsTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.dataSource());

    @Test
    void everyTableOfOursHasAComment() {
        assertThat(jdbc.queryForList("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relname LIKE 'sync\\_%' AND n.nspname = current_schema()
                  AND obj_description(c.oid, 'pg_class') IS NULL""", String.class)).isEmpty();
    }

    @Test
    void everyColumnOfOurTablesHasAComment() {
        assertThat(jdbc.queryForList("""
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name LIKE 'sync\\_%'
                  AND col_description((quote_ident(table_name))::regclass, ordinal_position) IS NULL""", String.class))
            .isEmpty();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name LIKE 'sync\\_%'""", Integer.class))
            .as("columns of our tables")
            .isGreaterThan(30);
    }

}
