package io.runlight.hub.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

import io.runlight.hub.auth.Role;
import io.runlight.hub.token.TokenExpiry;
import io.runlight.hub.token.TokenScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the hub serves describes exactly the routes it registers (method,
 * path, role), and the request bodies it documents are the ones the handlers enforce.
 */
@ExtendWith(SharedHub.class)
final class TestOpenApiDocument
{
    private static final Pattern VERTX_PARAMETER = Pattern.compile(":([A-Za-z0-9_]+)");
    private static final Pattern OPENAPI_PARAMETER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static RunningHub hub;
    private static Map<String, Object> document;

    @BeforeAll
    static void takeSharedHub(RunningHub shared)
    {
        hub = shared;
        RunningHub.Response response = hub.get("/openapi.yaml", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).contains("application/yaml");
        document = new Yaml().load(response.body());
    }

    @Test
    void isOpenApi31WithTheBuiltVersion()
    {
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
        String version = (String) map(document, "info").get("version");
        assertThat(version).doesNotContain("${").isNotBlank();
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedPathIsRouted()
    {
        Map<String, Optional<Role>> routed = new TreeMap<>();
        for (HubRouter.RouteSpec route : hub.hub().routes()) {
            String key = route.method() + " " + VERTX_PARAMETER.matcher(route.path()).replaceAll("{$1}");
            assertThat(routed.put(key, route.role())).as("route %s registered twice", key).isNull();
        }
        Map<String, Optional<Role>> documented = new TreeMap<>();
        for (Map.Entry<String, Object> path : map(document, "paths").entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> operations = (Map<String, Object>) path.getValue();
            for (Map.Entry<String, Object> operation : operations.entrySet()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> details = (Map<String, Object>) operation.getValue();
                Optional<Role> role = Optional.ofNullable((String) details.get("x-runlight-role")).map(Role::parse);
                documented.put(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), role);
                if (role.isEmpty()) {
                    // an operation without a role must say it needs no authentication, not inherit the global bearer requirement
                    assertThat(details.get("security")).as("%s %s", operation.getKey(), path.getKey()).isEqualTo(List.of());
                }
                else {
                    assertThat(map(details, "responses")).as("%s %s", operation.getKey(), path.getKey()).containsKeys("401", "403");
                }
            }
        }
        assertThat(routed).containsEntry("GET /api/v1/images/{digest}", Optional.of(Role.READ)).containsEntry("GET /health/live", Optional.empty());
        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void pathParametersAreDeclared()
    {
        for (Map.Entry<String, Object> path : map(document, "paths").entrySet()) {
            List<String> inPath = new ArrayList<>();
            Matcher matcher = OPENAPI_PARAMETER.matcher(path.getKey());
            while (matcher.find()) {
                inPath.add(matcher.group(1));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> operations = (Map<String, Object>) path.getValue();
            for (Map.Entry<String, Object> operation : operations.entrySet()) {
                @SuppressWarnings("unchecked")
                List<Object> parameters = (List<Object>) map(operations, operation.getKey()).getOrDefault("parameters", List.of());
                List<String> declared = new ArrayList<>();
                for (Object parameter : parameters) {
                    Map<String, Object> resolved = resolve(parameter);
                    if ("path".equals(resolved.get("in"))) {
                        assertThat(resolved.get("required")).isEqualTo(true);
                        declared.add((String) resolved.get("name"));
                    }
                }
                assertThat(declared).as("%s %s", operation.getKey(), path.getKey()).containsExactlyInAnyOrderElementsOf(inPath);
            }
        }
    }

    @Test
    void tokenRequestSchemaIsWhatTheHandlerEnforces()
    {
        Map<String, Object> schema = resolve(map(map(map(map(map(map(document, "paths"), "/api/v1/tokens"), "post"), "requestBody"), "content"), "application/json").get("schema"));
        assertThat(schema.get("additionalProperties")).isEqualTo(false);
        assertThat(schema.get("required")).isEqualTo(List.of("name", "expiresIn"));
        List<String> fields = new ArrayList<>(map(schema, "properties").keySet());
        fields.sort(String::compareTo);
        Map<String, Object> properties = map(schema, "properties");
        assertThat(resolve(properties.get("expiresIn")).get("enum")).isEqualTo(Arrays.stream(TokenExpiry.values()).map(TokenExpiry::period).toList());
        assertThat(map(properties, "scope").get("enum")).isEqualTo(Arrays.stream(TokenScope.values()).map(TokenScope::wireName).toList());
        assertThat(map(properties, "name").get("maxLength")).isEqualTo(200);

        String admin = hub.jwt(Role.ADMIN);
        // unknown fields are refused, and the refusal lists the documented ones
        assertThat(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"x\", \"expiresIn\": \"P1M\", \"owner\": \"me\"}").json())
                .isEqualTo(RunningHub.errorJson("unprocessable_entity", "Unknown field 'owner': the fields are " + fields + "."));
        // the required fields, the enum and the length limit are enforced
        assertThat(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"x\"}").json())
                .isEqualTo(RunningHub.errorJson("unprocessable_entity", "Field 'expiresIn' is required."));
        assertThat(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"x\", \"expiresIn\": \"P1M\", \"scope\": \"admin\"}").json())
                .isEqualTo(RunningHub.errorJson("unprocessable_entity", "Field 'scope' must be integration or ingest, not 'admin'."));
        assertThat(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"" + "n".repeat(201) + "\", \"expiresIn\": \"P1M\"}").json())
                .isEqualTo(RunningHub.errorJson("unprocessable_entity", "Field 'name' is longer than 200 characters."));
        assertThat(hub.postJson("/api/v1/tokens", admin, "{\"name\": \"" + "n".repeat(200) + "\", \"expiresIn\": \"P1M\"}").status()).isEqualTo(201);

        Map<String, Object> renew = resolve(map(map(map(map(map(map(document, "paths"), "/api/v1/tokens/{id}/renew"), "post"), "requestBody"), "content"), "application/json").get("schema"));
        assertThat(renew.get("required")).isEqualTo(List.of("expiresIn"));
        assertThat(map(renew, "properties").keySet()).containsExactly("expiresIn");
        assertThat(hub.postJson("/api/v1/tokens/tok_x/renew", admin, "{\"expiresIn\": \"P1M\", \"name\": \"x\"}").json())
                .isEqualTo(RunningHub.errorJson("unprocessable_entity", "Unknown field 'name': the fields are [expiresIn]."));
    }

    /** Follows a local {@code $ref}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolve(Object node)
    {
        Map<String, Object> map = (Map<String, Object>) node;
        Object reference = map.get("$ref");
        if (reference == null) {
            return map;
        }
        assertThat((String) reference).startsWith("#/");
        Map<String, Object> target = document;
        for (String part : ((String) reference).substring(2).split("/")) {
            target = map(target, part);
        }
        return resolve(target);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key)
    {
        Object value = parent.get(key);
        assertThat(value).as("'%s' in the OpenAPI document", key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
