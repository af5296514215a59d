package dev.attune.io;

import dev.attune.contract.DeadLetter;
import dev.attune.contract.Inbound;
import dev.attune.contract.RecordParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads {@code .jsonl} and {@code .jsonl.gz} files as raw lines and parses each into an
 * {@link Inbound}, remembering the file (relative to the input folder) and line number, so a
 * dead letter says exactly where its record came from. Files are not split; Flink decompresses
 * {@code .gz} by extension, and on restore re-reads and skips lines, so line numbers stay right.
 */
public final class JsonLinesFormat implements BulkFormat<Inbound, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    /** Raw bytes kept of an oversized line; the record is a dead letter anyway. */
    static final int MAX_KEPT_BYTES = 1024 * 1024;

    private final String stream;
    private final String root;

    public JsonLinesFormat(String stream, String inputRoot) {
        this.stream = stream;
        this.root = java.nio.file.Path.of(inputRoot)
                .toAbsolutePath()
                .normalize()
                .toUri()
                .getPath();
    }

    @Override
    public Reader<Inbound> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return adapter(split).createReader(config, split);
    }

    @Override
    public Reader<Inbound> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return adapter(split).restoreReader(config, split);
    }

    private StreamFormatAdapter<Inbound> adapter(FileSourceSplit split) {
        String path = split.path().toUri().getPath();
        String relative = path.startsWith(root) ? path.substring(root.length()).replaceFirst("^/+", "") : path;
        return new StreamFormatAdapter<>(new Lines(stream, relative));
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Inbound> getProducedType() {
        return RecordSerializers.INBOUND;
    }

    /** Which files under a stream folder are input: {@code .jsonl} and {@code .jsonl.gz}, not hidden. */
    public static boolean isInputFile(Path p) {
        String name = p.getName();
        if (hidden(name)) {
            return false;
        }
        try {
            if (p.getFileSystem().getFileStatus(p).isDir()) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
        return isInputName(name) && unreadable(p) == null;
    }

    /** A file name of input: {@code .jsonl} or {@code .jsonl.gz}, not hidden. */
    public static boolean isInputName(String name) {
        return !hidden(name) && (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz"));
    }

    private static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    /** Bytes of the smallest gzip file: a 10-byte header and an 8-byte trailer. */
    private static final int GZIP_MIN_BYTES = 18;

    /**
     * Why an input file cannot be opened at all (an empty or non-gzip {@code .gz}), or null. Such a
     * file is left out of the replay and becomes a {@code bad_file} dead letter naming it; a file that
     * breaks part-way is caught where it is read.
     */
    public static String unreadable(Path p) {
        if (!p.getName().endsWith(".gz")) {
            return null;
        }
        try (var in = p.getFileSystem().open(p)) {
            return gzipProblem(p.getFileSystem().getFileStatus(p).getLen(), in);
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    /**
     * Why a {@code .gz} of {@code size} bytes whose start {@code in} reads is not gzip at all, or null:
     * the check of {@link #unreadable}, for any kind of file.
     */
    static String gzipProblem(long size, java.io.InputStream in) throws IOException {
        if (size < GZIP_MIN_BYTES) {
            return size == 0 ? "is empty" : "is " + size + " bytes, too short for gzip";
        }
        if (in.read() != 0x1f || in.read() != 0x8b) {
            return "is not gzip (its first bytes are not 1f 8b)";
        }
        return null;
    }

    /** The dead letter for a whole file that cannot be used (or the rest of one, after {@code lines} lines). */
    static Inbound badFile(String stream, String file, String why) {
        return Inbound.dead(DeadLetter.of(
                stream,
                file,
                "",
                false,
                "parse",
                "bad_file",
                "file " + file + " " + why + "; the rest of the replay goes on without it"));
    }

    static final class Lines extends SimpleStreamFormat<Inbound> {
        private static final long serialVersionUID = 1L;
        private final String stream;
        private final String file;

        Lines(String stream, String file) {
            this.stream = stream;
            this.file = file;
        }

        @Override
        public StreamFormat.Reader<Inbound> createReader(Configuration config, FSDataInputStream in) {
            return new LineReader(stream, file, in);
        }

        @Override
        public TypeInformation<Inbound> getProducedType() {
            return RecordSerializers.INBOUND;
        }
    }

    /** Splits on '\n' (dropping a '\r' before it) without decoding, so bad UTF-8 reaches the parser. */
    static final class LineReader implements StreamFormat.Reader<Inbound> {
        private final String stream;
        private final String file;
        private final LineSplitter lines;
        private long lineNo;

        LineReader(String stream, String file, InputStream in) {
            this.stream = stream;
            this.file = file;
            this.lines = new LineSplitter(in);
        }

        /** Set once the file broke part-way (a torn .gz): its dead letter is out, nothing more is read. */
        private boolean broken;

        @Nullable
        @Override
        public Inbound read() throws IOException {
            while (true) {
                if (broken) {
                    return null;
                }
                byte[] bytes;
                try {
                    bytes = lines.next();
                } catch (IOException e) {
                    broken = true;
                    return badFile(stream, file, "breaks after line " + lineNo + " (" + e.getMessage() + ")");
                }
                if (bytes == null) {
                    return null;
                }
                lineNo++;
                if (!isBlank(bytes)) {
                    return RecordParser.parse(stream, file + ":" + lineNo, bytes);
                }
            }
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /**
     * Splits a stream into lines in 64 KiB reads, scanning the buffer for '\n' (a byte at a time
     * through a {@code BufferedInputStream}, a synchronized call each, was a tenth of a replay).
     */
    static final class LineSplitter {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;
        /** A line that spans reads is gathered here. */
        private final ByteArrayOutputStream spanning = new ByteArrayOutputStream(512);

        LineSplitter(InputStream in) {
            this.in = in;
        }

        /**
         * The next line's bytes without its '\n' (and a '\r' before it), or null at the end. A line
         * over {@link #MAX_KEPT_BYTES} keeps its first megabyte; the parser rejects it as too large.
         */
        byte[] next() throws IOException {
            long length = 0;
            boolean spans = false;
            while (true) {
                if (pos == limit) {
                    int n = in.read(buf, 0, buf.length);
                    if (n < 0) {
                        if (length == 0) {
                            return null;
                        }
                        break;
                    }
                    pos = 0;
                    limit = n;
                    continue;
                }
                int start = pos;
                int end = start;
                while (end < limit && buf[end] != '\n') {
                    end++;
                }
                boolean found = end < limit;
                pos = found ? end + 1 : limit;
                if (found && !spans) {
                    // The whole line is in the buffer (the usual case).
                    int keep = Math.min(end - start, MAX_KEPT_BYTES);
                    int n = end - start;
                    if (n > 0 && n <= MAX_KEPT_BYTES && buf[end - 1] == '\r') {
                        keep--;
                    }
                    return Arrays.copyOfRange(buf, start, start + keep);
                }
                if (!spans) {
                    spans = true;
                    spanning.reset();
                }
                long room = MAX_KEPT_BYTES - length;
                if (room > 0) {
                    spanning.write(buf, start, (int) Math.min(room, end - start));
                }
                length += end - start;
                if (found) {
                    break;
                }
            }
            byte[] bytes = spanning.toByteArray();
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r' && length <= MAX_KEPT_BYTES) {
                bytes = Arrays.copyOf(bytes, bytes.length - 1);
            }
            return bytes;
        }

        void close() throws IOException {
            in.close();
        }
    }

    static boolean isBlank(byte[] bytes) {
        for (byte x : bytes) {
            if (x != ' ' && x != '\t' && x != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Raw, non-blank lines as bytes, unparsed: what the loader copies into Kafka or Kinesis. */
    public static final class RawLines extends SimpleStreamFormat<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public StreamFormat.Reader<byte[]> createReader(Configuration config, FSDataInputStream in) {
            LineSplitter lines = new LineSplitter(in);
            return new StreamFormat.Reader<>() {
                @Override
                public byte[] read() throws IOException {
                    byte[] bytes;
                    do {
                        bytes = lines.next();
                    } while (bytes != null && isBlank(bytes));
                    return bytes;
                }

                @Override
                public void close() throws IOException {
                    lines.close();
                }
            };
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }
}
