package dev.pyruntime.publish;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Resolves credentials the way the deploy goal does without a settings.xml server (the AWS SDK's default chain) and
 * prints them, one per line: access key id, secret key, session token. Run in a JVM of its own by
 * {@link ProfileCredentialsTest}, because the chain reads {@code ~/.aws} from the {@code HOME} environment variable,
 * which a test cannot change in its own JVM.
 */
public final class ResolveCredentials {
    private ResolveCredentials() {
    }

    public static void main(String[] args) {
        AwsCredentials c = S3Clients.credentials(null).resolveCredentials();
        System.out.println(c.accessKeyId());
        System.out.println(c.secretAccessKey());
        System.out.println(c instanceof AwsSessionCredentials s ? s.sessionToken() : "");
    }
}
