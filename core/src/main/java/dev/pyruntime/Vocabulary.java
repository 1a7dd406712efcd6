package dev.pyruntime;

/**
 * How the front end names its settings, handed to the core so that a message can say which setting to change
 * without the core spelling a Maven property (as jib's HelpfulSuggestions hands Maven's or Gradle's words to its
 * core). The Maven plugin's vocabulary gives {@code python-runtime.targets} and {@code -Dpython-runtime.targets=...}.
 */
public interface Vocabulary {
    /** The setting as the user names it: {@code python-runtime.targets}. */
    String name(Setting setting);

    /** How the user sets it to {@code value} for one run: {@code -Dpython-runtime.targets=3.13.*}. */
    String set(Setting setting, String value);

    /**
     * Where the user gives an access key for a repository, for a refused request: the Maven plugin's is a
     * {@code <server>} in settings.xml that its server id setting names.
     */
    default String accessKeyHint() {
        return "the access key given, or the AWS SDK's default chain";
    }

    /** What was looked for when no credentials were found, and the ways to give them, as one sentence. */
    default String credentialsHint() {
        return "none was given, and the AWS SDK's default chain found none (" + AWS_CHAIN + "); give an access key, "
                + "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or AWS_ROLE_ARN with a web "
                + "identity token";
    }

    /** Where the AWS SDK's default credential chain looks, in its order. */
    String AWS_CHAIN = "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, "
            + "AWS_PROFILE and ~/.aws, the container's and the instance's role";

    /** That the run is offline, as a clause: the Maven plugin's is "Maven is offline (-o)". */
    default String offline() {
        return "the run is offline";
    }

    /** How the user runs one step on its own: the Maven plugin's is {@code mvn python-runtime:resolve-flags}. */
    default String step(String step) {
        return "the " + step + " step";
    }

    /**
     * Words that belong to no front end ({@code the targets setting}, {@code targets=3.13.*}): for the core's own
     * tests and callers.
     */
    Vocabulary PLAIN = new Vocabulary() {
        @Override
        public String name(Setting setting) {
            return "the " + setting.key() + " setting";
        }

        @Override
        public String set(Setting setting, String value) {
            return setting.key() + "=" + value;
        }
    };
}
