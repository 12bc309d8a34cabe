package dev.rota.polyglot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The JSON Schemas of {@code docs/asyncapi.yaml}, ready to validate real messages. Each schema is checked
 * with the whole document as its root, so its {@code #/components/schemas/...} references resolve.
 */
final class Contract {
    static final Path DOCUMENT = Path.of("..", "docs", "asyncapi.yaml").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    Contract() throws IOException {
        this.document = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    }

    JsonNode document() {
        return document;
    }

    /** @return the violations of {@code message} against components.schemas.{@code schema}; empty when valid */
    List<String> violations(String schema, JsonNode message) {
        if (document.at("/components/schemas/" + schema).isMissingNode()) {
            throw new IllegalArgumentException("no schema " + schema + " in " + DOCUMENT);
        }
        ObjectNode root = document.deepCopy();
        root.put("$ref", "#/components/schemas/" + schema);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        JsonSchema s = factory.getSchema(root, config);
        Set<ValidationMessage> errors = s.validate(message);
        return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    List<String> violations(String schema, String json) throws IOException {
        return violations(schema, JSON.readTree(json));
    }
}
