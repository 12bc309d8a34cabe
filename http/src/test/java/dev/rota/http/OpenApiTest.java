package dev.rota.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.db.RotaDatabase;
import dev.rota.testsupport.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAPI document and the running server cannot drift: every route the server registers is in the
 * document, every operation of the document is registered, and every one of them is answered by a
 * route (not by the "no endpoint" fallback). The JSON shapes cannot drift either: each schema lists exactly
 * the fields of the record the server writes or reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {
    final String schema = TestServers.uniqueName("apidoc").toLowerCase();
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    RotaDatabase db;
    Admin admin;
    ApiServer server;
    JsonNode doc;

    @BeforeAll
    void start() throws Exception {
        TestServers.Postgres pg = TestServers.postgres();
        db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(schema)
                .maxPoolSize(3).build();
        db.migrate();
        admin = new AdminBuilder().database(db).build();
        server = new ApiServer(ApiServerConfig.of(0).withInsecureLocal(true), admin, db, null, Clock.systemUTC());
        server.start();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/openapi.json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        doc = json.readTree(r.body());
    }

    @AfterAll
    void stop() {
        server.close();
        admin.close();
        db.close();
        TestServers.dropSchema(schema);
    }

    private Set<String> documented() {
        Set<String> ops = new TreeSet<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            doc.get("paths").get(path).fieldNames().forEachRemaining(m -> ops.add(m.toUpperCase(Locale.ROOT) + " " + path));
        }
        return ops;
    }

    @Test
    void theDocumentIsOpenApi31() {
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedOneRegistered() {
        assertThat(new TreeSet<>(server.routes())).isEqualTo(documented());
    }

    /** Schema name in the document, to the record of {@code dev.rota.http.internal.Dtos} that carries it. */
    static final Map<String, String> SHAPES = Map.ofEntries(
            Map.entry("Job", "Job"), Map.entry("JobInput", "JobBody"), Map.entry("TaskInput", "TaskBody"),
            Map.entry("Run", "Run"), Map.entry("Attempt", "Attempt"), Map.entry("RunEvent", "Event"),
            Map.entry("Step", "Step"), Map.entry("RunDetail", "RunDetailJson"), Map.entry("AuditEvent", "Audit"),
            Map.entry("Token", "Token"), Map.entry("TokenInput", "TokenBody"),
            Map.entry("CreatedToken", "CreatedTokenJson"), Map.entry("Me", "Me"), Map.entry("Preview", "Preview"),
            Map.entry("Bulk", "Bulk"), Map.entry("Failover", "Failover"), Map.entry("Cluster", "Cluster"),
            Map.entry("JobStats", "JobStats"), Map.entry("SkipReason", "SkipReason"));

    @Test
    void everyDocumentedShapeHasExactlyTheFieldsOfItsRecord() throws Exception {
        for (Map.Entry<String, String> e : SHAPES.entrySet()) {
            Class<?> record = Class.forName("dev.rota.http.internal.Dtos$" + e.getValue());
            Set<String> fields = new TreeSet<>();
            for (var c : record.getRecordComponents()) {
                fields.add(c.getName());
            }
            Set<String> documented = new TreeSet<>();
            doc.at("/components/schemas/" + e.getKey() + "/properties").fieldNames().forEachRemaining(documented::add);
            assertThat(documented).as("properties of schema %s (record Dtos.%s)", e.getKey(), e.getValue())
                    .isEqualTo(fields);
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        Matcher m = Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/([^\"]+)\"").matcher(doc.toString());
        while (m.find()) {
            refs.add(m.group(1));
        }
        assertThat(refs).isNotEmpty();
        assertThat(refs).allSatisfy(ref -> assertThat(doc.at("/" + ref).isMissingNode()).as(ref).isFalse());
    }

    @Test
    void everyDocumentedOperationIsAnsweredByARoute() throws Exception {
        for (String op : documented()) {
            if (op.endsWith("/events")) {
                continue;
            }
            String method = op.substring(0, op.indexOf(' '));
            String path = op.substring(op.indexOf(' ') + 1).replace("{id}", "0").replace("{name}", "nobody");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).as(op).doesNotContain("no endpoint");
            assertThat(r.statusCode()).as(op + ": " + r.body()).isNotIn(405, 500);
        }
    }
}
