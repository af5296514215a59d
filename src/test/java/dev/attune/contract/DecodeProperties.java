package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link RecordParser#decode} gives exactly what the strict UTF-8 decoder gives (the same text, or a refusal)
 * for any bytes: plain ASCII, text with multi-byte characters, and arbitrary bytes (mostly not UTF-8), so the
 * parser's records and its {@code not_utf8} dead letters are what they were with a decoder for every record.
 */
class DecodeProperties {
    @Property(tries = 3000)
    void asciiIsTextAsItStands(@ForAll("ascii") byte[] raw) throws Exception {
        assertThat(RecordParser.decode(raw)).isEqualTo(RecordParser.strict(raw));
    }

    @Property(tries = 3000)
    void unicodeTextDecodesAsTheDecoderDoes(@ForAll("unicode") byte[] raw) throws Exception {
        assertThat(RecordParser.decode(raw)).isEqualTo(RecordParser.strict(raw));
    }

    @Property(tries = 3000)
    void anyBytesDecodeOrAreRefusedAsTheDecoderDoes(@ForAll("bytes") byte[] raw) {
        String expected;
        try {
            expected = RecordParser.strict(raw);
        } catch (CharacterCodingException e) {
            assertThatThrownBy(() -> RecordParser.decode(raw)).isInstanceOf(CharacterCodingException.class);
            return;
        }
        try {
            assertThat(RecordParser.decode(raw)).isEqualTo(expected);
        } catch (CharacterCodingException e) {
            throw new AssertionError("refused bytes the decoder reads", e);
        }
    }

    @Example
    void edgeCases() throws Exception {
        for (byte[] raw : new byte[][] {
            {}, {0}, {0x7f}, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "\uFEFF{}".getBytes(StandardCharsets.UTF_8)
        }) {
            assertThat(RecordParser.decode(raw)).isEqualTo(RecordParser.strict(raw));
        }
        for (byte[] raw : new byte[][] {
            {(byte) 0x80}, {(byte) 0xc3}, {'{', (byte) 0xff, '}'}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}
        }) {
            assertThatThrownBy(() -> RecordParser.decode(raw)).isInstanceOf(CharacterCodingException.class);
        }
    }

    @Provide
    Arbitrary<byte[]> ascii() {
        return Arbitraries.strings().ascii().ofMaxLength(400).map(s -> s.getBytes(StandardCharsets.US_ASCII));
    }

    @Provide
    Arbitrary<byte[]> unicode() {
        return Arbitraries.strings().all().ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    }
}
