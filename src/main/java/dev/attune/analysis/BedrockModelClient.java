package dev.attune.analysis;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Amazon Bedrock's Converse API through the AWS SDK v2 async client. Credentials come from the
 * SDK's default provider chain. The SDK's own retries are off: resilience4j retries with jitter
 * and a circuit breaker around it ({@link ModelGate}), so every attempt is counted and bounded.
 */
public final class BedrockModelClient implements ModelClient {
    private final BedrockRuntimeAsyncClient client;
    private final String modelId;

    public BedrockModelClient(
            String modelId, String region, String endpoint, Duration callTimeout, int maxConcurrency) {
        this.modelId = modelId;
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder().maxConcurrency(maxConcurrency);
        if (endpoint != null && endpoint.startsWith("http://")) {
            http.protocol(Protocol.HTTP1_1); // a local server: cleartext HTTP/1.1, not h2c
        }
        BedrockRuntimeAsyncClientBuilder b = BedrockRuntimeAsyncClient.builder()
                .httpClientBuilder(http)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(s -> s.maxAttempts(1))
                        .apiCallTimeout(callTimeout));
        if (region != null) {
            b.region(Region.of(region));
        }
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        this.client = b.build();
    }

    @Override
    public CompletableFuture<String> converse(String prompt) {
        ConverseRequest request = ConverseRequest.builder()
                .modelId(modelId)
                .messages(Message.builder()
                        .role(ConversationRole.USER)
                        .content(ContentBlock.fromText(prompt))
                        .build())
                .inferenceConfig(InferenceConfiguration.builder()
                        .maxTokens(700)
                        .temperature(0.2f)
                        .build())
                .build();
        return client.converse(request).thenApply(r -> {
            if (r.output() == null
                    || r.output().message() == null
                    || r.output().message().content().isEmpty()) {
                throw new IllegalStateException("a Converse response without an output message");
            }
            return r.output().message().content().get(0).text();
        });
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public void close() {
        client.close();
    }
}
