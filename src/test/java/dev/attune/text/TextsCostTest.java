package dev.attune.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Reading stays cheap whatever a customer sends: only the first {@link Texts#MAX_CHARS} characters
 * are read, so a hostile megabyte costs what its first 2,000 characters cost. What a 30-word text
 * costs is measured by the benchmark ({@code HotPathBenchmarks.readText}), never asserted here.
 */
class TextsCostTest {
    @Test
    void hostileInputIsReadAsItsFirstTwoThousandCharacters() {
        String hostile = "not ".repeat(100_000) + "great ".repeat(100_000);
        TextReading r = Texts.read(hostile);
        assertThat(r).isEqualTo(Texts.read(hostile.substring(0, Texts.MAX_CHARS)));
        assertThat(r.sentiment()).isBetween(-1.0, 1.0);
        String tail = "a".repeat(Texts.MAX_CHARS) + " furious, unacceptable, I want a refund now!!!";
        assertThat(Texts.read(tail)).isEqualTo(Texts.read("a".repeat(Texts.MAX_CHARS)));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "a".repeat(Texts.MAX_CHARS - 1) + "\uD83D\uDE21 angry";
        TextReading r = Texts.read(emoji);
        assertThat(r.sentiment()).isBetween(-1.0, 1.0);
        assertThat(r).isEqualTo(Texts.read("a".repeat(Texts.MAX_CHARS - 1)));
    }
}
