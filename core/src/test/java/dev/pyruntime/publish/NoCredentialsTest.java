package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no credentials anywhere, deploy's S3 repository fails with one line: what was looked for and the ways to give
 * them, not the SDK's kilobyte listing each provider of its chain.
 */
class NoCredentialsTest {
    @TempDir
    Path home;

    @Test
    void noCredentialsAnywhereIsOneLineSayingWhereToPutThem() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // The endpoint is never reached: the request is signed, with credentials, before it is sent.
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, NoCredentials.class.getName(), "http://127.0.0.1:9");
        pb.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        pb.environment().put("HOME", home.toString());
        // The chain's last provider asks the instance metadata service at 169.254.169.254: no test talks to it.
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.redirectError(home.resolve("stderr.txt").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        List<String> lines = out.lines().toList();
        assertEquals(List.of("looking up s3://runtimes/index.json: no AWS credentials: none was given, and the AWS SDK's "
                + "default chain found none (" + dev.pyruntime.Vocabulary.AWS_CHAIN + "); give an access key, set "
                + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or AWS_ROLE_ARN with a web identity "
                + "token"), lines);
    }
}
