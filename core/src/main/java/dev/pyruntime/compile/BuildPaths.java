package dev.pyruntime.compile;

import dev.pyruntime.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps the build directory's path out of the installed tree. CPython's install records it in text files
 * ({@code _sysconfigdata_*.py}, {@code config-X.Y/Makefile}: {@code abs_builddir}, and the
 * {@code -ffile-prefix-map=<build dir>=.} flag); with the path in them, the same build made in two checkouts gives
 * two archives. They get a fixed path instead, the same for every checkout, which nothing reads at run time.
 */
public final class BuildPaths {
    private BuildPaths() {
    }

    /** What the build directory becomes in the installed tree of {@code targetId}. */
    public static String placeholder(String targetId) {
        return "/tmp/python-runtime/build/" + targetId;
    }

    /**
     * Replaces {@code buildDir} by {@code replacement} in every regular text file under {@code tree} (a file with a NUL
     * byte counts as binary and is left alone); returns the relative paths rewritten.
     */
    public static List<String> rewrite(Path tree, String buildDir, String replacement) throws IOException {
        byte[] needle = buildDir.getBytes(StandardCharsets.UTF_8);
        List<String> rewritten = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                if (indexOf(bytes, needle, 0) < 0 || indexOf(bytes, new byte[] {0}, 0) >= 0) {
                    continue;
                }
                String text = new String(bytes, StandardCharsets.UTF_8).replace(buildDir, replacement);
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                AtomicFiles.writeString(f, text);
                Files.setPosixFilePermissions(f, mode);
                rewritten.add(tree.relativize(f).toString());
            }
        }
        return rewritten;
    }

    /**
     * Whether {@code file} contains {@code needle}, read in bounded chunks (with an overlap of the needle's length), so
     * a file of any size is searched in constant memory.
     */
    public static boolean fileContains(Path file, byte[] needle) throws IOException {
        int chunk = Math.max(1 << 20, needle.length * 2);
        byte[] window = new byte[chunk + needle.length];
        int kept = 0;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.readNBytes(window, kept, chunk)) > 0) {
                int filled = kept + n;
                byte[] view = filled == window.length ? window : java.util.Arrays.copyOf(window, filled);
                if (indexOf(view, needle, 0) >= 0) {
                    return true;
                }
                kept = Math.min(needle.length - 1, filled);
                System.arraycopy(window, filled - kept, window, 0, kept);
            }
        }
        return false;
    }

    /** The first index of {@code needle} in {@code hay} at or after {@code from}, or -1. */
    public static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
