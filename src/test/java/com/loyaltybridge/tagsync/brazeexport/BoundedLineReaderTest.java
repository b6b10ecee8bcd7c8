package com.loyaltybridge.tagsync.brazeexport;

import static com.loyaltybridge.tagsync.support.ExportFixtures.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Line splitting at the byte level, where reads end at awkward places. */
class BoundedLineReaderTest {

    @Test
    void aStreamThatDeliversOneByteAtATimeSplitsTheSameWay() throws IOException {
        byte[] content = utf8("\uFEFFfirst\r\n\n  \nsecond\nthird");

        assertThat(readAll(new ByteArrayInputStream(content), 100)).containsExactly("first", "(blank)", "(blank)",
                "second", "third");
        assertThat(readAll(new OneByteAtATime(content), 100)).containsExactly("first", "(blank)", "(blank)", "second",
                "third");
    }

    @Test
    void aByteOrderMarkCountsOnlyAtTheStart() throws IOException {
        assertThat(readAll(new ByteArrayInputStream(utf8("a\n\uFEFFb\n")), 100)).containsExactly("a", "\uFEFFb");
    }

    @Test
    void aLineLongerThanTheReadBufferButWithinTheLimitIsKeptWhole() throws IOException {
        String longLine = "x".repeat(300_000);

        assertThat(readAll(new ByteArrayInputStream(utf8("a\n" + longLine + "\nb")), 1_000_000)).containsExactly("a",
                longLine, "b");
    }

    @Test
    void theLimitCountsTheLineWithoutItsTerminator() throws IOException {
        assertThat(readAll(new ByteArrayInputStream(utf8("12345\r\n123456\r\n12345\n123456")), 5))
            .containsExactly("12345", "(too long)", "12345", "(too long)");
    }

    @Test
    void skippingReadsPastLinesWithoutKeepingThem() throws IOException {
        BoundedLineReader reader = new BoundedLineReader(
                new OneByteAtATime(utf8("\uFEFFone\n" + "y".repeat(500) + "\nthree")), 10);

        assertThat(reader.skip()).isTrue();
        assertThat(reader.skip()).isTrue();
        assertThat(new String(reader.read().content(), UTF_8)).isEqualTo("three");
        assertThat(reader.skip()).isFalse();
        assertThat(reader.read()).isNull();
    }

    @Test
    void anEmptyStreamHasNoLines() throws IOException {
        assertThat(readAll(new ByteArrayInputStream(new byte[0]), 10)).isEmpty();
        assertThat(readAll(new ByteArrayInputStream(utf8("\uFEFF")), 10)).isEmpty();
    }

    private static List<String> readAll(InputStream in, int maxLineSize) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(in, maxLineSize);
        List<String> lines = new ArrayList<>();
        for (BoundedLineReader.Line line = reader.read(); line != null; line = reader.read()) {
            lines.add(line.blank() ? "(blank)" : line.tooLong() ? "(too long)" : new String(line.content(), UTF_8));
        }
        return lines;
    }

    /** The most awkward stream there is: every read returns a single byte. */
    private static final class OneByteAtATime extends InputStream {

        private final ByteArrayInputStream bytes;

        OneByteAtATime(byte[] content) {
            this.bytes = new ByteArrayInputStream(content);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return length == 0 ? 0 : bytes.read(buffer, offset, 1);
        }

    }

}
