package dev.attune.config;

import static dev.attune.config.AttuneOptions.TEXTS_CATALOGUE;

import dev.attune.catalogue.CatalogueException;
import dev.attune.catalogue.TextCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The job's {@link TextCatalogue}: the bundled texts, with the files of {@code texts.catalogue}
 * laid over them. The folder is read through Flink's file systems, as the input and the journal
 * are (a local path, or {@code s3://} where the S3 plugin is installed, as on Managed Flink).
 */
public final class TextCatalogues {
    /** A catalogue folder holds a few small files; anything this large is not one. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private TextCatalogues() {}

    /** The catalogue the configuration asks for; a {@link ConfigException} on {@code texts.catalogue} if unusable. */
    public static TextCatalogue load(Configuration conf) {
        String folder = conf.get(TEXTS_CATALOGUE);
        if (folder == null) {
            return TextCatalogue.defaults();
        }
        Map<String, byte[]> files = read(folder);
        try {
            return TextCatalogue.defaults().withOverrides(files);
        } catch (CatalogueException e) {
            throw new ConfigException(
                    TEXTS_CATALOGUE.key(), "'" + new Path(new Path(folder), e.file()) + "'" + tail(e));
        }
    }

    private static String tail(CatalogueException e) {
        String m = e.getMessage();
        return m.substring(e.file().length());
    }

    /** File name → bytes of every file in the folder (not its sub-folders, not hidden files). */
    static Map<String, byte[]> read(String folder) {
        Map<String, byte[]> files = new TreeMap<>();
        try {
            Path dir = new Path(folder);
            FileSystem fs = dir.getFileSystem();
            if (!fs.exists(dir) || !fs.getFileStatus(dir).isDir()) {
                throw new ConfigException(TEXTS_CATALOGUE.key(), "'" + folder + "' is not a folder");
            }
            for (FileStatus f : fs.listStatus(dir)) {
                String name = f.getPath().getName();
                if (f.isDir() || name.startsWith(".")) {
                    continue;
                }
                if (f.getLen() > MAX_FILE_BYTES) {
                    throw new ConfigException(
                            TEXTS_CATALOGUE.key(), "'" + f.getPath() + "' is over 1 MiB; a catalogue file is not");
                }
                try (InputStream in = fs.open(f.getPath())) {
                    files.put(name, in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new ConfigException(TEXTS_CATALOGUE.key(), "cannot read '" + folder + "': " + e.getMessage());
        }
        return files;
    }
}
