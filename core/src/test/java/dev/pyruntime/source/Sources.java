package dev.pyruntime.source;

import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Small helpers for source tests: synthetic tarballs, digests, plans' source entries, cache listings. */
final class Sources {
    private Sources() {
    }

    /** Deterministic pseudo-random bytes: a stand-in tarball of the given size. */
    static byte[] tarball(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        java.security.MessageDigest digest = dev.pyruntime.Sha256.digest();
        return HexFormat.of().formatHex(digest.digest(bytes));
    }

    static BuildPlan.SourceInfo source(String file, byte[] content, String... urls) {
        return new BuildPlan.SourceInfo(file, sha256(content), List.of(urls), null, null);
    }

    /** Every file under the cache, relative to it, sorted. */
    static List<String> listing(Path cache) throws IOException {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).map(p -> cache.relativize(p).toString()).sorted().toList();
        }
    }

    static AptSources noApt(Path dir) {
        return AptSources.read(dir.resolve("no-apt"));
    }
}
