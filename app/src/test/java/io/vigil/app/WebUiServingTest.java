package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.ui.UiAssets;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI as served, without a browser: the redirect, the files from the jar with their security headers,
 * and the APIs the UI calls (who am I, the engine's catalog, compile without running, the admin-only list of
 * principals) with a real admin and a real reader key.
 */
@Timeout(120)
class WebUiServingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static UiFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = UiFixture.start(temp);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void rootRedirectsToTheUiWhoseFilesComeFromTheJarWithAStrictPolicy() throws Exception {
        HttpResponse<String> root = fixture.get("/", null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).contains("/ui/");

        HttpResponse<String> page = fixture.get("/ui/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        // the page's policy admits one style element by a nonce that is new on every load
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        Matcher nonce = Pattern.compile("style-src 'self' 'nonce-([A-Za-z0-9+/=]{24})';")
                .matcher(policy);
        assertThat(nonce.find()).as(policy).isTrue();
        assertThat(policy).contains("default-src 'none'", "script-src 'self';", "frame-ancestors 'none'");
        assertThat(page.body()).contains("<meta name=\"csp-nonce\" content=\"" + nonce.group(1) + "\">");
        String again = fixture.get("/ui/", null)
                .headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow();
        assertThat(again).isNotEqualTo(policy);
        assertThat(fixture.get("/ui/app.js", null).headers().firstValue("Content-Security-Policy"))
                .contains(UiAssets.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        // no inline script or style: everything the page runs is a file of this server
        assertThat(page.body())
                .doesNotContain("<script>")
                .doesNotContain("style=")
                .doesNotContain("http://")
                .doesNotContain("https://");

        for (String file : List.of("app.js", "app.css", "editor.js", "uPlot.iife.min.js", "uPlot.min.css")) {
            HttpResponse<String> asset = fixture.get("/ui/" + file, null);
            assertThat(asset.statusCode()).as(file).isEqualTo(200);
            assertThat(asset.body()).as(file).isNotEmpty();
        }
        assertThat(fixture.get("/ui/editor.js.LICENSES.txt", null).body()).contains("@codemirror/view");
        assertThat(fixture.get("/ui/../keys.json", null).statusCode()).isNotEqualTo(200);
        assertThat(fixture.get("/ui/missing.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theApisTheUiUsesNeedAKeyAndCarryTheSecurityHeadersToo() throws Exception {
        for (String path : List.of("/v1/me", "/v1/catalog", "/v1/principals")) {
            HttpResponse<String> anonymous = fixture.get(path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .isPresent();
        }
        JsonNode me = JSON.readTree(fixture.get("/v1/me", fixture.readerKey).body());
        assertThat(me.path("name").asText()).isEqualTo("analyst");
        assertThat(me.path("role").asText()).isEqualTo("reader");
        assertThat(me.path("grantedRoles").toString()).isEqualTo("[\"reader\"]");
        HttpResponse<String> admin = fixture.get("/v1/me", fixture.adminKey);
        assertThat(admin.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(JSON.readTree(admin.body()).path("grantedRoles")).hasSize(4);
    }

    @Test
    void catalogListsTablesWithColumnsAndRowCountsFunctionsAndOperators() throws Exception {
        JsonNode catalog =
                JSON.readTree(fixture.get("/v1/catalog", fixture.readerKey).body());
        JsonNode signins = find(catalog.path("tables"), "SigninLogs");
        assertThat(signins.path("rowCount").asLong()).isEqualTo(UiFixture.SIGNINS);
        assertThat(names(signins.path("columns"))).contains("TimeGenerated", "UserPrincipalName", "LocationDetails");
        assertThat(find(signins.path("columns"), "LocationDetails").path("type").asText())
                .isEqualTo("dynamic");
        assertThat(find(catalog.path("tables"), "VigilDeadLetter")
                        .path("rowCount")
                        .asLong())
                .isEqualTo(1);
        assertThat(names(catalog.path("functions"))).contains("count", "tolower", "bin", "parse_json");
        assertThat(find(catalog.path("functions"), "count").path("kind").asText())
                .isEqualTo("aggregate");
        assertThat(names(catalog.path("operators"))).contains("where", "summarize", "render", "mv-expand");
    }

    @Test
    void compileAnswersDiagnosticsWithCodesAndSpansWithoutRunning() throws Exception {
        String typo = "SigninLogs | where UserPrincipalNam == 'x'";
        JsonNode rejected = JSON.readTree(fixture.post(
                        "/v1/compile",
                        fixture.readerKey,
                        JSON.writeValueAsString(
                                JSON.createObjectNode().put("query", typo).put("timespan", "P1D")))
                .body());
        assertThat(rejected.path("valid").asBoolean()).isFalse();
        JsonNode diagnostic = rejected.path("diagnostics").get(0);
        assertThat(diagnostic.path("code").asText()).startsWith("KQL");
        assertThat(diagnostic.path("severity").asText()).isEqualTo("error");
        assertThat(diagnostic.path("message").asText()).contains("UserPrincipalNam");
        assertThat(typo.substring(
                        diagnostic.path("start").asInt(), diagnostic.path("end").asInt()))
                .isEqualTo("UserPrincipalNam");

        JsonNode valid = JSON.readTree(fixture.post(
                        "/v1/compile",
                        fixture.readerKey,
                        "{\"query\":\"SigninLogs | summarize n = count() by IPAddress\"}")
                .body());
        assertThat(valid.path("valid").asBoolean()).isTrue();
        assertThat(valid.path("diagnostics")).isEmpty();
        assertThat(names(valid.path("columns"))).containsExactly("IPAddress", "n");

        assertThat(fixture.post("/v1/compile", fixture.readerKey, "{not json").statusCode())
                .isEqualTo(400);
        HttpResponse<String> badTimespan =
                fixture.post("/v1/compile", fixture.readerKey, "{\"query\":\"SigninLogs\",\"timespan\":\"soon\"}");
        assertThat(badTimespan.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badTimespan.body())
                        .path("error")
                        .path("message")
                        .asText())
                .isNotBlank();
        String huge = "{\"query\":\"" + "x".repeat(300 * 1024) + "\"}";
        try {
            assertThat(fixture.post("/v1/compile", fixture.readerKey, huge).statusCode())
                    .isEqualTo(413);
        } catch (java.io.IOException closedWhileSending) {
            // the server answers 413 from the declared length and closes the connection; a client still
            // sending the body may see the close before the answer. Either way the body was not taken:
            assertThat(fixture.get("/v1/me", fixture.readerKey).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onlyAnAdminListsPrincipals() throws Exception {
        HttpResponse<String> denied = fixture.get("/v1/principals", fixture.readerKey);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(denied.body()).path("error").path("message").asText())
                .contains("admin")
                .contains("reader");
        HttpResponse<String> listed = fixture.get("/v1/principals", fixture.adminKey);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(fixture.adminKey).doesNotContain(fixture.readerKey);
        JsonNode principals = JSON.readTree(listed.body()).path("principals");
        assertThat(find(principals, "admin").path("role").asText()).isEqualTo("admin");
        assertThat(find(principals, "analyst").path("role").asText()).isEqualTo("reader");
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no '" + name + "' in " + names(list));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }
}
