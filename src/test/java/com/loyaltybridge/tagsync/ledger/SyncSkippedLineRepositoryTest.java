package com.loyaltybridge.tagsync.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import com.loyaltybridge.tagsync.brazeexport.ExportRecord;
import com.loyaltybridge.tagsync.brazeexport.SkipReason;
import com.loyaltybridge.tagsync.support.MigratedDatabase;

/**
 * Skipped lines against real PostgreSQL: recorded once however often they are read, and
 * listed by object and line.
 */
class SyncSkippedLineRepositoryTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(MigratedDatabase.dataSource());

    private final SyncSkippedLineRepository skippedLines = new SyncSkippedLineRepository(jdbc,
            new DataSourceTransactionManager(MigratedDatabase.dataSource()));

    private final long jobInstanceId = MigratedDatabase.newJobInstance(jdbc);

    @Test
    void aLineReadAgainIsNotRecordedTwice() {
        assertThat(skippedLines.record(jobInstanceId, List.of(line("b.zip", 7, SkipReason.INVALID_JSON)))).isEqualTo(1);
        assertThat(skippedLines.record(jobInstanceId,
                List.of(line("b.zip", 7, SkipReason.INVALID_JSON), line("a.zip", 2, SkipReason.MISSING_IDENTIFIER))))
            .isEqualTo(1);

        assertThat(skippedLines.count(jobInstanceId)).isEqualTo(2);
        assertThat(skippedLines.countByReason(jobInstanceId)).containsOnlyKeys("invalid_json", "missing_identifier");
    }

    @Test
    void linesAreListedByObjectAndLinePageByPageAndStreamedWhole() {
        skippedLines.record(jobInstanceId, List.of(line("b.zip", 1, SkipReason.WRONG_TYPE),
                line("a.zip", 9, SkipReason.INVALID_JSON), line("a.zip", 3, SkipReason.LINE_TOO_LONG)));
        List<String> streamed = new ArrayList<>();

        skippedLines.forEachSkippedLine(jobInstanceId,
                line -> streamed.add(line.objectKey() + ":" + line.lineNumber()));

        assertThat(streamed).containsExactly("p/a.zip:3", "p/a.zip:9", "p/b.zip:1");
        assertThat(skippedLines.skippedLines(jobInstanceId, 2, 1))
            .extracting(SyncSkippedLineRepository.SkippedLine::reason)
            .containsExactly("invalid_json", "wrong_type");
    }

    private static ExportRecord.SkippedLine line(String object, long number, SkipReason reason) {
        return new ExportRecord.SkippedLine("p/" + object, number, reason, "detail of line " + number);
    }

}
