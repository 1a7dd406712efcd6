package dev.pyruntime;

/**
 * The settings a core message can tell the user to change. The core names a setting only through a
 * {@link Vocabulary}, which the front end supplies: the Maven plugin spells {@link #TARGETS} as
 * {@code python-runtime.targets} and sets it with {@code -Dpython-runtime.targets=...}; another front end would spell
 * it its own way.
 */
public enum Setting {
    MANIFEST("manifest"),
    TARGETS("targets"),
    PROFILE("profile"),
    OUTPUT_DIRECTORY("outputDirectory"),
    INSTALL_BUILD_PACKAGES("installBuildPackages"),
    SOURCE_CACHE("sourceCache"),
    SKIP_SIGNATURES("skipSignatures"),
    RUN_UNCONFINED("runUnconfined"),
    REPOSITORY("repository"),
    REBUILD_PUBLISHED("rebuildPublished"),
    SIGNING_KEY_FILE("signing.keyFile"),
    SIGNING_FINGERPRINT("signing.fingerprint"),
    SIGNING_REQUIRED("signing.required"),
    SIGNING_PUBLIC_KEY("signing.publicKey"),
    SERVER_ID("serverId"),
    S3_REGION("s3.region"),
    CONTAINER_ENGINE("container.engine"),
    CONTAINER_ENGINE_ARGS("container.engineArgs"),
    CONTAINER_RUN_ARGS("container.runArgs"),
    CONTAINER_PULL("container.pull"),
    ARCHIVE("archive"),
    BUILD_PYTHON("buildPython"),
    JOBS("jobs"),
    S3_ENDPOINT("s3.endpoint"),
    S3_MULTIPART_THRESHOLD("s3.multipartThreshold"),
    S3_PART_SIZE("s3.partSize"),
    S3_MAX_ATTEMPTS("s3.maxAttempts");

    private final String key;

    Setting(String key) {
        this.key = key;
    }

    /** The setting's own name, without any front end's prefix: {@code container.pull}. */
    public String key() {
        return key;
    }
}
