package com.loyaltybridge.tagsync.text;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A CSV meant for people, who open it in a spreadsheet: RFC 4180 (commons-csv) with a
 * header, and no cell a spreadsheet would run as a formula. Excel, LibreOffice and Google
 * Sheets evaluate a cell that starts with {@code =}, {@code +}, {@code -} or {@code @}
 * (tab and carriage return can hide such a start), so
 * {@code =HYPERLINK("http://evil.example/","click")} in an identifier or a SessionM
 * message would become a live link or a command. Such a cell is written with a single
 * quote in front, as OWASP advises ("CSV Injection"): the spreadsheet shows it as text.
 * {@code |} is prefixed as well: harmless for a reader, and spreadsheets differ in what
 * they evaluate.
 * <p>
 * Every CSV for people goes through here (the API's rejected users and skipped lines).
 * The bulk file for SessionM's import is data for a machine and keeps its identifiers
 * exact: it does not use this class.
 */
public final class SpreadsheetCsv implements Flushable {

    private final CSVPrinter printer;

    private SpreadsheetCsv(CSVPrinter printer) {
        this.printer = printer;
    }

    /**
     * A CSV written to {@code out}, starting with the {@code header} row (names of ours,
     * written as they are).
     */
    public static SpreadsheetCsv to(Appendable out, String... header) {
        try {
            return new SpreadsheetCsv(CSVFormat.RFC4180.builder().setHeader(header).get().print(out));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one row; each value becomes its {@link #cell} text ({@code null} an empty
     * cell).
     */
    public void row(Object... values) {
        Object[] cells = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = cell(values[i]);
        }
        try {
            printer.printRecord(cells);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The text of the cell a spreadsheet shows for {@code value}: its text, with a single
     * quote in front when it starts with a character that would make it a formula;
     * {@code null} stays null (an empty cell).
     */
    public static String cell(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return !text.isEmpty() && startsFormula(text.charAt(0)) ? "'" + text : text;
    }

    private static boolean startsFormula(char first) {
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                || first == '|';
    }

    @Override
    public void flush() {
        try {
            printer.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
