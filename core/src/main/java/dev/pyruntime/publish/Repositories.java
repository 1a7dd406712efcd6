package dev.pyruntime.publish;

import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import java.nio.file.Path;

/** The repository a URL names: {@code s3://bucket/prefix} or {@code file:/path}. */
public final class Repositories {
    private Repositories() {
    }

    /** @param s3 how to reach S3, for {@code s3://} URLs */
    public static Repository open(String url, S3Repository.Options s3) throws UserError {
        return open(url, s3, Vocabulary.PLAIN);
    }

    /** @param words the front end's names for its settings, for the errors */
    public static Repository open(String url, S3Repository.Options s3, Vocabulary words) throws UserError {
        String setting = words.name(Setting.REPOSITORY);
        if (url == null || url.isBlank()) {
            throw new UserError("no repository to deploy to: set " + setting + ", such as "
                    + "s3://my-bucket/runtimes or file:/srv/runtimes");
        }
        if (url.startsWith("s3://")) {
            return new S3Repository(S3Repository.BucketPrefix.parse(url, setting), s3, words);
        }
        if (url.startsWith("file:")) {
            String path = url.substring("file:".length()).replaceFirst("^//", "");
            if (!path.startsWith("/")) {
                throw new UserError(setting + " '" + url + "': a file repository needs an absolute path, "
                        + "such as file:/srv/runtimes");
            }
            return new FileRepository(Path.of(path));
        }
        throw new UserError(setting + " '" + url + "': unknown scheme; use s3://bucket/prefix or file:/path");
    }
}
