package dev.attune.catalogue;

/** A catalogue file that cannot be used: names the file, the key where there is one, and the problem. */
public class CatalogueException extends IllegalArgumentException {
    private final String file;
    private final String key;

    public CatalogueException(String file, String key, String problem) {
        super(file + (key == null ? "" : ", key " + key) + ": " + problem);
        this.file = file;
        this.key = key;
    }

    public String file() {
        return file;
    }

    /** The key at fault, or null where the whole file is. */
    public String key() {
        return key;
    }
}
