package dev.pyruntime.publish;

import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import java.net.URI;

/**
 * Asks an S3 repository for an object with no credentials anywhere (no key given, none in the environment or
 * {@code ~/.aws}, no role) and prints the error the user gets. Run in a JVM of its own by {@link NoCredentialsTest},
 * because the SDK's chain reads the environment and {@code HOME}, which a test cannot change in its own JVM.
 *
 * @param args the endpoint, on 127.0.0.1
 */
public final class NoCredentials {
    private NoCredentials() {
    }

    public static void main(String[] args) throws Exception {
        S3Repository.Options options = new S3Repository.Options(URI.create(args[0]), "us-east-1", true, null,
                S3Repository.Options.DEFAULT_MULTIPART_THRESHOLD, S3Repository.Options.DEFAULT_PART_SIZE, 1);
        try (S3Repository repo = new S3Repository(S3Repository.BucketPrefix.parse("s3://runtimes/", "repository"),
                options, Vocabulary.PLAIN)) {
            repo.exists("index.json");
            System.out.println("no error");
        } catch (UserError e) {
            System.out.println(e.getMessage());
        }
    }
}
