package dev.attune.analysis;

import java.util.concurrent.CompletableFuture;

/** A language model behind a future; {@link BedrockModelClient} in production, fakes in tests. */
public interface ModelClient extends AutoCloseable {
    /** The model's text answer to a prompt; fails with the client's exception. */
    CompletableFuture<String> converse(String prompt);

    String modelId();

    @Override
    default void close() {}
}
