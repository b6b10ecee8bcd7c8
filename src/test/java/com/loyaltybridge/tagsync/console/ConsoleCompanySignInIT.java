package com.loyaltybridge.tagsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.support.SyncTestSupport;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * The company's identity provider, an OpenID Connect server in this JVM
 * ({@code mock-oauth2-server}): people sign in to the console through it with the role
 * its claim gives them, and the REST API takes its JWTs as bearer tokens, next to the
 * clients' secrets.
 */
class ConsoleCompanySignInIT extends SyncTestSupport {

    private static final String ISSUER = "company";

    private static final String CLIENT_ID = "tagsync-console";

    private static MockOAuth2Server identityProvider;

    private static ConsoleServer server;

    @BeforeAll
    static void start() {
        identityProvider = new MockOAuth2Server();
        identityProvider.start();
        Map<String, String> properties = new LinkedHashMap<>(serviceProperties());
        properties.put("oidc.issuer-uri", identityProvider.issuerUrl(ISSUER).toString());
        properties.put("oidc.client-id", CLIENT_ID);
        properties.put("oidc.client-secret", "client-secret-of-the-console-at-the-provider");
        properties.put("oidc.role-claim", "groups");
        properties.put("oidc.viewer-values", "tagsync-viewers");
        properties.put("oidc.operator-values", "tagsync-operators");
        server = ConsoleServer.start(properties);
    }

    @AfterAll
    static void stop() {
        server.close();
        identityProvider.shutdown();
    }

    @Test
    void anOperatorSignsInThroughTheCompanysProviderAndMayAct() {
        identityProvider.enqueueCallback(person("alice", "tagsync-operators"));

        try (Browser browser = Browser.at(server.base())) {
            browser.open("/executions");
            assertThat(browser.path()).isEqualTo("/login");
            assertThat(browser.findAll("#secret")).as("no secrets form").isEmpty();
            browser.click("Sign in with the company account");

            browser.await(Duration.ofSeconds(30), driver -> browser.path().startsWith("/executions"));
            assertThat(browser.text(".who")).contains("alice").contains("(operator)");
            assertThat(browser.findAll("nav a[href='/launch']")).hasSize(1);
            browser.open("/launch");
            assertThat(browser.find("h1").getText()).isEqualTo("Launch a run");
        }
    }

    @Test
    void aPersonWithoutAConsoleRoleIsRefused() {
        identityProvider.enqueueCallback(person("mallory", "sales"));

        try (Browser browser = Browser.at(server.base())) {
            browser.open("/login");
            browser.click("Sign in with the company account");

            browser.await(Duration.ofSeconds(30), driver -> browser.path().startsWith("/login?failed"));
            assertThat(browser.text("main .problem")).isEqualTo("Signing in failed.");
            browser.open("/executions");
            assertThat(browser.path()).isEqualTo("/login");
        }
    }

    @Test
    void theApiTakesTheProvidersJwtsWithTheRoleTheirClaimGives() {
        String viewer = token("bob", CLIENT_ID, List.of("tagsync-viewers"));
        String operator = token("alice", CLIENT_ID, List.of("tagsync-operators"));
        String noRole = token("carol", CLIENT_ID, List.of("sales"));
        String otherAudience = token("bob", "another-application", List.of("tagsync-viewers"));

        assertThat(get("/api/executions", viewer).statusCode()).isEqualTo(200);
        assertThat(post("/api/executions/987654321/abandon", viewer).statusCode()).isEqualTo(403);
        assertThat(post("/api/executions/987654321/abandon", operator).statusCode())
            .as("allowed, and no such execution")
            .isEqualTo(404);
        assertThat(get("/api/executions", noRole).statusCode()).isEqualTo(403);
        assertThat(get("/api/executions", otherAudience).statusCode()).as("a token for another application")
            .isEqualTo(401);
        assertThat(get("/api/executions", ConsoleServer.VIEWER_SECRET).statusCode())
            .as("the clients' secrets still work")
            .isEqualTo(200);
        HttpResponse<String> metadata = server.get("/.well-known/oauth-protected-resource", Map.of());
        assertThat(metadata.statusCode()).as("no OAuth metadata is published").isEqualTo(401);
        assertThat(metadata.headers().allValues("WWW-Authenticate"))
            .noneMatch(challenge -> challenge.contains("resource_metadata"));
    }

    private static DefaultOAuth2TokenCallback person(String name, String group) {
        return new DefaultOAuth2TokenCallback(ISSUER, name, "JWT", List.of(CLIENT_ID),
                Map.of("groups", List.of(group), "preferred_username", name), 3600);
    }

    private static String token(String subject, String audience, List<String> groups) {
        return identityProvider.issueToken(ISSUER, subject, audience, Map.of("groups", groups)).serialize();
    }

    private static HttpResponse<String> get(String path, String bearer) {
        return server.get(path, Map.of("Authorization", "Bearer " + bearer));
    }

    private static HttpResponse<String> post(String path, String bearer) {
        return server.postApi(path, "{}", bearer);
    }

}
