package dev.attune.contract;

/**
 * One record for one output stream, already serialised: the sinks route on {@code stream} and
 * key on {@code key} (the customer) without knowing any record format. A Flink POJO.
 */
public class OutputRecord {
    public String stream;
    public String key;
    public String id;
    public String json;

    public OutputRecord() {}

    public OutputRecord(String stream, String key, String id, String json) {
        this.stream = stream;
        this.key = key;
        this.id = id;
        this.json = json;
    }

    @Override
    public String toString() {
        return stream + " " + json;
    }
}
