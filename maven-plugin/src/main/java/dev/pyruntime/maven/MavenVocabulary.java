package dev.pyruntime.maven;

import dev.pyruntime.Setting;
import dev.pyruntime.Vocabulary;

/**
 * Maven's words for the core's settings: each {@link Setting} is the user property in {@link Properties}, set with
 * {@code -D} for one run. The switch has no default, so a setting added to the core without a property here does
 * not compile.
 */
final class MavenVocabulary implements Vocabulary {
    static final MavenVocabulary INSTANCE = new MavenVocabulary();

    private MavenVocabulary() {
    }

    @Override
    public String name(Setting setting) {
        return switch (setting) {
            case MANIFEST -> Properties.MANIFEST;
            case TARGETS -> Properties.TARGETS;
            case PROFILE -> Properties.PROFILE;
            case OUTPUT_DIRECTORY -> Properties.OUTPUT_DIRECTORY;
            case INSTALL_BUILD_PACKAGES -> Properties.INSTALL_BUILD_PACKAGES;
            case SOURCE_CACHE -> Properties.SOURCE_CACHE;
            case SKIP_SIGNATURES -> Properties.SKIP_SIGNATURES;
            case RUN_UNCONFINED -> Properties.RUN_UNCONFINED;
            case REPOSITORY -> Properties.REPOSITORY;
            case REBUILD_PUBLISHED -> Properties.REBUILD_PUBLISHED;
            case SIGNING_KEY_FILE -> Properties.SIGNING_KEY_FILE;
            case SIGNING_FINGERPRINT -> Properties.SIGNING_FINGERPRINT;
            case SIGNING_REQUIRED -> Properties.SIGNING_REQUIRED;
            case SIGNING_PUBLIC_KEY -> Properties.SIGNING_PUBLIC_KEY;
            case SERVER_ID -> Properties.SERVER_ID;
            case S3_REGION -> Properties.S3_REGION;
            case CONTAINER_ENGINE -> Properties.CONTAINER_ENGINE;
            case CONTAINER_ENGINE_ARGS -> Properties.CONTAINER_ENGINE_ARGS;
            case CONTAINER_RUN_ARGS -> Properties.CONTAINER_RUN_ARGS;
            case CONTAINER_PULL -> Properties.CONTAINER_PULL;
            case ARCHIVE -> Properties.ARCHIVE;
            case BUILD_PYTHON -> Properties.BUILD_PYTHON;
            case JOBS -> Properties.JOBS;
            case S3_ENDPOINT -> Properties.S3_ENDPOINT;
            case S3_MULTIPART_THRESHOLD -> Properties.S3_MULTIPART_THRESHOLD;
            case S3_PART_SIZE -> Properties.S3_PART_SIZE;
            case S3_MAX_ATTEMPTS -> Properties.S3_MAX_ATTEMPTS;
        };
    }

    @Override
    public String set(Setting setting, String value) {
        return "-D" + name(setting) + "=" + value;
    }

    @Override
    public String accessKeyHint() {
        return Properties.SERVER_ID + " names a <server> in settings.xml whose username is the access key id and "
                + "password the secret";
    }

    @Override
    public String credentialsHint() {
        return "no " + Properties.SERVER_ID + " was given, and the AWS SDK's default chain found none (" + AWS_CHAIN
                + "). Give one of: " + Properties.SERVER_ID + "=<id> of a settings.xml <server> whose username is the "
                + "access key id and password the secret; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE "
                + "of ~/.aws/config); AWS_ROLE_ARN with a web identity token (GitHub's OIDC, as "
                + "aws-actions/configure-aws-credentials sets it)";
    }

    @Override
    public String offline() {
        return "Maven is offline (-o)";
    }

    @Override
    public String step(String step) {
        return "mvn python-runtime:" + step;
    }
}
