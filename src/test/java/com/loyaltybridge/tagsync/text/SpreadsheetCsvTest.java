package com.loyaltybridge.tagsync.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a spreadsheet sees in each cell of a CSV meant for people: text, never a formula.
 */
class SpreadsheetCsvTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '¦', quoteCharacter = '"',
            textBlock = """
                    a DDE command                 ¦ "=cmd|' /C calc'!A0"                               ¦ "'=cmd|' /C calc'!A0"
                    a link                        ¦ "=HYPERLINK(""http://evil.example/"",""click"")"   ¦ "'=HYPERLINK(""http://evil.example/"",""click"")"
                    a plus                        ¦ +plus                                              ¦ '+plus
                    an at sign                    ¦ @x                                                 ¦ '@x
                    a minus starting a sum        ¦ -1+1                                               ¦ '-1+1
                    a pipe                        ¦ |pipe                                              ¦ '|pipe
                    a plain identifier            ¦ C-302                                              ¦ C-302
                    an equals sign inside         ¦ a=b                                                ¦ a=b
                    a single quote already        ¦ 'quoted                                            ¦ 'quoted
                    """)
    void aCellThatWouldStartAFormulaGetsASingleQuoteInFront(String description, String value, String cell) {
        assertThat(SpreadsheetCsv.cell(value)).isEqualTo(cell);
        assertThat(cellsOf(value)).containsExactly(cell);
    }

    @Test
    void tabAndCarriageReturnCannotHideAFormulaStart() {
        assertThat(cellsOf("\t=1+1")).containsExactly("'\t=1+1");
        assertThat(cellsOf("\r=1+1")).containsExactly("'\r=1+1");
    }

    @Test
    void quotingOfRfc4180StaysAndEmptyOrNullCellsStayEmpty() throws IOException {
        StringBuilder out = new StringBuilder();
        SpreadsheetCsv csv = SpreadsheetCsv.to(out, "identifier", "message");
        csv.row("a,b", "line one\nline \"two\"");
        csv.row(null, "");
        csv.row(302, -5);
        csv.flush();

        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(out.toString())).getRecords();

        assertThat(records.get(0).values()).containsExactly("identifier", "message");
        assertThat(records.get(1).values()).containsExactly("a,b", "line one\nline \"two\"");
        assertThat(records.get(2).values()).containsExactly("", "");
        assertThat(records.get(3).values()).containsExactly("302", "'-5");
    }

    /**
     * The cells of the single data row written for {@code value}, as an RFC 4180 reader
     * (a spreadsheet) reads them.
     */
    private static List<String> cellsOf(String value) {
        StringBuilder out = new StringBuilder();
        SpreadsheetCsv csv = SpreadsheetCsv.to(out, "value");
        csv.row(value);
        csv.flush();
        try {
            List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(out.toString())).getRecords();
            assertThat(records).hasSize(2);
            return List.of(records.get(1).values());
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

}
