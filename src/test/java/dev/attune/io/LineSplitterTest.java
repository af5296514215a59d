package dev.attune.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The buffered line splitter gives the lines a byte-at-a-time reading gives, however the stream is cut. */
class LineSplitterTest {

    /** The reference: one byte at a time, the rules the class documents. */
    private static List<byte[]> reference(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long length = 0;
            int b = -1;
            while (i < data.length && (b = data[i++]) != '\n') {
                if (length++ < JsonLinesFormat.MAX_KEPT_BYTES) {
                    line.write(b);
                }
            }
            boolean end = i >= data.length && (data.length == 0 || data[data.length - 1] != '\n' || b != '\n');
            if (end && length == 0) {
                return out;
            }
            byte[] bytes = line.toByteArray();
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r' && length <= JsonLinesFormat.MAX_KEPT_BYTES) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            out.add(bytes);
            if (i >= data.length && b != '\n') {
                return out;
            }
        }
    }

    /** A stream that hands out at most {@code max} bytes a read. */
    private static InputStream trickle(byte[] data, int max) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, max));
            }
        };
    }

    private static List<byte[]> split(InputStream in) throws IOException {
        JsonLinesFormat.LineSplitter s = new JsonLinesFormat.LineSplitter(in);
        List<byte[]> out = new ArrayList<>();
        for (byte[] l; (l = s.next()) != null; ) {
            out.add(l);
        }
        assertNull(s.next(), "stays at the end");
        return out;
    }

    private static void same(byte[] data) throws IOException {
        List<byte[]> want = reference(data);
        for (int max : new int[] {1, 2, 7, 100, 70_000, Integer.MAX_VALUE}) {
            List<byte[]> got = split(trickle(data, max));
            assertEquals(want.size(), got.size(), "lines, reads of " + max);
            for (int k = 0; k < want.size(); k++) {
                assertArrayEquals(want.get(k), got.get(k), "line " + k + ", reads of " + max);
            }
        }
    }

    @Test
    void edgeCases() throws IOException {
        same(new byte[0]);
        same("\n".getBytes());
        same("\n\n".getBytes());
        same("a".getBytes());
        same("a\n".getBytes());
        same("a\r\nb\r\n\r\n\rc".getBytes());
        same("{\"x\":1}\n  \n\t\n{\"y\":2}".getBytes());
        assertEquals(3, split(new ByteArrayInputStream("a\n\nb\n".getBytes())).size());
    }

    @Test
    void randomStreams() throws IOException {
        Random r = new Random(7);
        for (int t = 0; t < 200; t++) {
            byte[] data = new byte[r.nextInt(3000)];
            for (int i = 0; i < data.length; i++) {
                int k = r.nextInt(10);
                data[i] = (byte) (k == 0 ? '\n' : k == 1 ? '\r' : 'a' + r.nextInt(26));
            }
            same(data);
        }
    }

    @Test
    void linesLongerThanTheBufferAndTheLimit() throws IOException {
        byte[] data = new byte[JsonLinesFormat.MAX_KEPT_BYTES + 200_000];
        java.util.Arrays.fill(data, (byte) 'x');
        data[100_000] = '\n';
        data[100_000 + JsonLinesFormat.MAX_KEPT_BYTES + 5] = '\r';
        data[100_000 + JsonLinesFormat.MAX_KEPT_BYTES + 6] = '\n';
        data[data.length - 2] = '\r';
        same(data);
        List<byte[]> got = split(new ByteArrayInputStream(data));
        assertEquals(100_000, got.get(0).length);
        assertEquals(JsonLinesFormat.MAX_KEPT_BYTES, got.get(1).length, "an oversized line keeps its first megabyte");
    }
}
