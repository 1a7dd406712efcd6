package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Without a settings.xml server, the credentials come from the AWS SDK's default chain, and that chain's web identity
 * step (EKS IRSA, a token file) needs the SDK's sts module: before it was added, the chain failed with "To use web
 * identity tokens, the 'sts' service module must be on the class path". Here the repository's own credential chain
 * runs as on such a runner: a token file and a role (as EKS IRSA sets them), and an STS endpoint on 127.0.0.1 that
 * swaps the token for a session key as AWS STS would. (s3proxy answers 501 to a request carrying a session token, so
 * the key that came back is checked as the chain hands it to the S3 client, not by a publish.)
 */
class WebIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void aWebIdentityTokenIsSwappedThroughStsForTheKeyThatPublishes() throws Exception {
        // The chain stops at the first step that has credentials: a key in the environment would answer first.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null
                && System.getenv("AWS_PROFILE") == null, "AWS credentials in the environment come first in the chain");
        Path token = Files.writeString(tmp.resolve("token"), "a-web-identity-token");
        List<Map<String, String>> calls = new ArrayList<>();
        HttpServer sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", exchange -> {
            Map<String, String> form = new java.util.TreeMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            synchronized (calls) {
                calls.add(form);
            }
            byte[] body = ("<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                    + "<AssumeRoleWithWebIdentityResult><Credentials>"
                    + "<AccessKeyId>" + S3Proxy.ACCESS_KEY + "</AccessKeyId>"
                    + "<SecretAccessKey>" + S3Proxy.SECRET_KEY + "</SecretAccessKey>"
                    + "<SessionToken>a-session-token</SessionToken>"
                    + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                    + "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/publisher/ci</Arn>"
                    + "<AssumedRoleId>AROAEXAMPLE:ci</AssumedRoleId></AssumedRoleUser>"
                    + "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                    + "</AssumeRoleWithWebIdentityResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
        Map<String, String> settings = Map.of(
                "aws.webIdentityTokenFile", token.toString(),
                "aws.roleArn", "arn:aws:iam::123456789012:role/publisher",
                "aws.roleSessionName", "ci",
                "aws.region", "us-east-1",
                "aws.endpointUrlSts", "http://127.0.0.1:" + sts.getAddress().getPort());
        settings.forEach(System::setProperty);
        AwsCredentials resolved;
        try {
            resolved = S3Clients.credentials(null).resolveCredentials();
        } finally {
            settings.keySet().forEach(System::clearProperty);
            sts.stop(0);
        }
        AwsSessionCredentials session = assertInstanceOf(AwsSessionCredentials.class, resolved);
        assertEquals(S3Proxy.ACCESS_KEY, session.accessKeyId());
        assertEquals(S3Proxy.SECRET_KEY, session.secretAccessKey());
        assertEquals("a-session-token", session.sessionToken());
        assertEquals("AssumeRoleWithWebIdentity", calls.get(0).get("Action"));
        assertEquals("a-web-identity-token", calls.get(0).get("WebIdentityToken"));
        assertEquals("arn:aws:iam::123456789012:role/publisher", calls.get(0).get("RoleArn"));
    }
}
