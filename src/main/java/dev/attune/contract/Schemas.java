package dev.attune.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The JSON Schemas shipped in the jar under {@code schemas/}, one per stream. */
public final class Schemas {
    private static final String BASE = "https://attune.dev/schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:schemas/")));
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {}

    /** The schema of a stream, e.g. {@code user-events}. */
    public static JsonSchema of(String stream) {
        return CACHE.computeIfAbsent(stream, s -> {
            JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(BASE + s + ".schema.json"), CONFIG);
            schema.initializeValidators();
            return schema;
        });
    }

    public static Set<ValidationMessage> validate(String stream, JsonNode node) {
        return of(stream).validate(node);
    }
}
