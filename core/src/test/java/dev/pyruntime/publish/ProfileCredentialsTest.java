package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The profiles of {@code ~/.aws/config} that platform teams use instead of a stored key, resolved by the deploy goal's
 * own chain (the AWS SDK's default one) in a JVM whose {@code HOME} holds them, as on a developer's machine or a
 * self-hosted runner:
 * <ul>
 *   <li>an assume-role profile ({@code role_arn} + {@code source_profile}): the source key is swapped through STS
 *       AssumeRole (the sts module);</li>
 *   <li>an {@code aws sso login} profile ({@code sso_session}): the cached SSO token is swapped through the SSO portal's
 *       GetRoleCredentials (the sso and ssooidc modules).</li>
 * </ul>
 * The STS and SSO endpoints are servers on 127.0.0.1 answering as AWS's do, reached through the SDK's own
 * {@code AWS_ENDPOINT_URL_<SERVICE>} variables. Each records the request, so the test sees what was exchanged.
 */
class ProfileCredentialsTest {
    @TempDir
    Path home;

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anAssumeRoleProfileSwapsItsSourceKeyThroughSts() throws Exception {
        write(".aws/credentials", """
                [base]
                aws_access_key_id = AKIABASEKEYEXAMPLE
                aws_secret_access_key = base-secret
                """);
        write(".aws/config", """
                [profile publisher]
                role_arn = arn:aws:iam::123456789012:role/publisher
                source_profile = base
                role_session_name = ci
                region = eu-west-1
                """);
        List<String> printed = resolve(Map.of("AWS_PROFILE", "publisher", "AWS_ENDPOINT_URL_STS", endpoint()));
        assertEquals(List.of("ASIAROLEKEYEXAMPLE", "role-secret", "role-session-token"), printed);
        Map<String, String> form = form(requests.get(0));
        assertEquals("AssumeRole", form.get("Action"));
        assertEquals("arn:aws:iam::123456789012:role/publisher", form.get("RoleArn"));
        assertEquals("ci", form.get("RoleSessionName"));
        // Signed with the source profile's key.
        assertEquals(true, requests.get(0).contains("Credential=AKIABASEKEYEXAMPLE/"), requests.get(0));
    }

    @Test
    void anSsoProfileSwapsTheCachedLoginTokenForRoleCredentials() throws Exception {
        write(".aws/config", """
                [profile publisher]
                sso_session = corp
                sso_account_id = 123456789012
                sso_role_name = publisher
                region = eu-west-1

                [sso-session corp]
                sso_start_url = https://corp.awsapps.example/start
                sso_region = eu-west-1
                sso_registration_scopes = sso:account:access
                """);
        // What `aws sso login --sso-session corp` leaves: the token, cached under the SHA-1 of the session's name.
        String cacheName = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest("corp".getBytes(StandardCharsets.UTF_8))) + ".json";
        write(".aws/sso/cache/" + cacheName, """
                {"startUrl": "https://corp.awsapps.example/start", "region": "eu-west-1",
                 "accessToken": "an-sso-access-token", "expiresAt": "2099-01-01T00:00:00Z",
                 "clientId": "a-client", "clientSecret": "a-client-secret", "refreshToken": "a-refresh-token",
                 "registrationExpiresAt": "2099-01-01T00:00:00Z"}
                """);
        List<String> printed = resolve(Map.of("AWS_PROFILE", "publisher", "AWS_ENDPOINT_URL_SSO", endpoint()));
        assertEquals(List.of("ASIASSOKEYEXAMPLE", "sso-secret", "sso-session-token"), printed);
        String request = requests.get(0);
        assertEquals(true, request.startsWith("GET /federation/credentials?"), request);
        assertEquals(true, request.contains("account_id=123456789012") && request.contains("role_name=publisher"),
                request);
        assertEquals(true, request.contains("x-amz-sso_bearer_token: an-sso-access-token"), request);
    }

    private void answer(HttpExchange exchange) throws IOException {
        StringBuilder request = new StringBuilder(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n");
        exchange.getRequestHeaders().forEach((name, values) ->
                request.append(name.toLowerCase()).append(": ").append(String.join(",", values)).append('\n'));
        request.append('\n').append(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        synchronized (requests) {
            requests.add(request.toString());
        }
        String body;
        String type;
        if (exchange.getRequestURI().getPath().startsWith("/federation/credentials")) {
            type = "application/json";
            body = "{\"roleCredentials\":{\"accessKeyId\":\"ASIASSOKEYEXAMPLE\",\"secretAccessKey\":\"sso-secret\","
                    + "\"sessionToken\":\"sso-session-token\",\"expiration\":4070908800000}}";
        } else {
            type = "text/xml";
            body = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                    + "<Credentials><AccessKeyId>ASIAROLEKEYEXAMPLE</AccessKeyId>"
                    + "<SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-session-token</SessionToken>"
                    + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                    + "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/publisher/ci</Arn>"
                    + "<AssumedRoleId>AROAEXAMPLE:ci</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>"
                    + "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void write(String relative, String text) throws IOException {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Runs {@link ResolveCredentials} with HOME set to the test's home and no other AWS setting of this machine. */
    private List<String> resolve(Map<String, String> aws) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ResolveCredentials.class.getName());
        pb.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(aws);
        // Standard output carries only the credentials; the SDK's logging goes to standard error, for a failure.
        Path errors = home.resolve("stderr.txt");
        pb.redirectError(errors.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("credential resolution did not end within 60 s:\n" + out);
        }
        assertEquals(0, p.exitValue(), out + Files.readString(errors));
        return out.lines().toList();
    }

    private static Map<String, String> form(String request) {
        Map<String, String> form = new TreeMap<>();
        String body = request.substring(request.indexOf("\n\n") + 2);
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }
}
