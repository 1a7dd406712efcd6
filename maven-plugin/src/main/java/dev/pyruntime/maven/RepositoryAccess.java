package dev.pyruntime.maven;

import dev.pyruntime.Numbers;
import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.publish.Repositories;
import dev.pyruntime.publish.Repository;
import dev.pyruntime.publish.S3Repository;

/**
 * Opens the repository the runtimes publish to from a goal's parameters: the building goals' (which read and write
 * it) and {@code matrix}'s (which only reads it). The parameters stay declared on each goal, so that each lists only
 * those it reads; their reading is here, once.
 *
 * @param repository         {@code s3://bucket/prefix} or {@code file:/path}
 * @param s3Endpoint         an S3-compatible store's endpoint, or null for AWS
 * @param s3Region           the bucket's region, or null for the SDK's chain
 * @param s3PathStyle        whether the bucket goes in the path
 * @param s3MultipartThreshold as given, or null for the default
 * @param s3PartSize         as given, or null for the default
 * @param s3MaxAttempts      as given, or null for the default
 * @param serverId           the settings.xml server holding the access key, or null for the SDK's default chain
 */
record RepositoryAccess(String repository, String s3Endpoint, String s3Region, boolean s3PathStyle,
                        String s3MultipartThreshold, String s3PartSize, String s3MaxAttempts, String serverId) {

    /** Opens it, with settings.xml's proxy and the server's credentials, decrypted by {@code settings}. */
    Repository open(MavenSettings settings) throws UserError {
        MavenVocabulary words = MavenVocabulary.INSTANCE;
        long threshold = Numbers.parse(s3MultipartThreshold, S3Repository.Options.DEFAULT_MULTIPART_THRESHOLD,
                Setting.S3_MULTIPART_THRESHOLD, 0, Long.MAX_VALUE, "bytes", 67108864, words);
        int partSize = (int) Numbers.parse(s3PartSize, S3Repository.Options.DEFAULT_PART_SIZE, Setting.S3_PART_SIZE,
                S3Repository.MIN_PART_SIZE, Integer.MAX_VALUE, "bytes", S3Repository.Options.DEFAULT_PART_SIZE, words);
        int attempts = (int) Numbers.parse(s3MaxAttempts, 5, Setting.S3_MAX_ATTEMPTS, 1, 100, "attempts", 8, words);
        S3Repository.Options s3 = new S3Repository.Options(S3Repository.endpoint(s3Endpoint, words), s3Region,
                s3PathStyle, settings.credentials(serverId), threshold, partSize, attempts, settings.proxy());
        return Repositories.open(repository, s3, words);
    }
}
