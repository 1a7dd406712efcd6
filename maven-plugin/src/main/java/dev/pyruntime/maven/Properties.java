package dev.pyruntime.maven;

/** Every {@code -D} property the plugin reads, in one place. */
public final class Properties {
    public static final String PREFIX = "python-runtime.";
    public static final String MANIFEST = PREFIX + "manifest";
    public static final String TARGETS = PREFIX + "targets";
    public static final String PROFILE = PREFIX + "profile";
    public static final String OUTPUT_DIRECTORY = PREFIX + "outputDirectory";
    public static final String SKIP = PREFIX + "skip";
    public static final String ARCHIVE = PREFIX + "archive";
    public static final String RUN_UNCONFINED = PREFIX + "runUnconfined";
    public static final String JOBS = PREFIX + "jobs";
    public static final String CCACHE = PREFIX + "ccache";
    public static final String INSTALL_BUILD_PACKAGES = PREFIX + "installBuildPackages";
    public static final String SOURCE_CACHE = PREFIX + "sourceCache";
    public static final String SKIP_SIGNATURES = PREFIX + "skipSignatures";
    public static final String OUTPUT_TIMESTAMP = PREFIX + "outputTimestamp";
    public static final String REPOSITORY = PREFIX + "repository";
    public static final String DRY_RUN = PREFIX + "dryRun";
    public static final String REBUILD_PUBLISHED = PREFIX + "rebuildPublished";
    public static final String SERVER_ID = PREFIX + "serverId";
    public static final String SIGNING_KEY_FILE = PREFIX + "signing.keyFile";
    public static final String SIGNING_FINGERPRINT = PREFIX + "signing.fingerprint";
    public static final String SIGNING_REQUIRED = PREFIX + "signing.required";
    public static final String SIGNING_PUBLIC_KEY = PREFIX + "signing.publicKey";
    public static final String S3_ENDPOINT = PREFIX + "s3.endpoint";
    public static final String S3_REGION = PREFIX + "s3.region";
    public static final String S3_PATH_STYLE = PREFIX + "s3.pathStyle";
    public static final String S3_MULTIPART_THRESHOLD = PREFIX + "s3.multipartThreshold";
    public static final String S3_PART_SIZE = PREFIX + "s3.partSize";
    public static final String S3_MAX_ATTEMPTS = PREFIX + "s3.maxAttempts";
    public static final String CONTAINER_ENGINE = PREFIX + "container.engine";
    public static final String CONTAINER_ENGINE_ARGS = PREFIX + "container.engineArgs";
    public static final String CONTAINER_RUN_ARGS = PREFIX + "container.runArgs";
    public static final String CONTAINER_PULL = PREFIX + "container.pull";
    public static final String BUILD_PYTHON = PREFIX + "buildPython";
    /** Maven's own: the deploy phase publishes nothing. */
    public static final String MAVEN_DEPLOY_SKIP = "maven.deploy.skip";
    public static final String MATRIX_FILE = PREFIX + "matrixFile";
    public static final String GITHUB_OUTPUT = PREFIX + "githubOutput";

    private Properties() {
    }
}
