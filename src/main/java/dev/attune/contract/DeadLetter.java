package dev.attune.contract;

/** A record that could not be used, with why. A Flink POJO. */
public class DeadLetter {
    public String stream;
    public String position;
    /** The original record as UTF-8 text, or base64 where it was not UTF-8. */
    public String raw;

    public boolean rawBase64;
    /** {@code parse}, {@code validate}, {@code analysis}, {@code sink}. */
    public String stage;

    public String code;
    public String message;
    /** Where known from a readable record. */
    public String userId;
    /** Event time where known, else 0. */
    public long eventTime;

    public DeadLetter() {}

    public static DeadLetter of(
            String stream, String position, String raw, boolean rawBase64, String stage, String code, String message) {
        DeadLetter d = new DeadLetter();
        d.stream = stream;
        d.position = position;
        d.raw = raw;
        d.rawBase64 = rawBase64;
        d.stage = stage;
        d.code = code;
        d.message = message;
        return d;
    }

    @Override
    public String toString() {
        return stage + "/" + code + ": " + message + " @" + stream + ":" + position;
    }
}
