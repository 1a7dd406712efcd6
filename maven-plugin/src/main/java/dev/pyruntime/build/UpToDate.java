package dev.pyruntime.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The "compiled" marker of a target: written last, after a build succeeded, holding the plan fingerprint it was
 * built from (which covers the flags, the source sha256 and the plugin version). Removed before a build starts, so
 * an interrupted build never looks up to date.
 */
public final class UpToDate {
    static final String MARKER = "compiled.fingerprint";

    private UpToDate() {
    }

    public static boolean check(Path workDir, String fingerprint) {
        Path marker = workDir.resolve(MARKER);
        try {
            return Files.isRegularFile(marker)
                    && Files.readString(marker, StandardCharsets.UTF_8).trim().equals(fingerprint)
                    && Files.isDirectory(CPythonBuild.staging(workDir))
                    && Files.isRegularFile(workDir.resolve(BuildInfo.FILE));
        } catch (IOException e) {
            return false;
        }
    }

    public static void invalidate(Path workDir) throws IOException {
        Files.deleteIfExists(workDir.resolve(MARKER));
    }

    public static void mark(Path workDir, String fingerprint) throws IOException {
        dev.pyruntime.AtomicFiles.writeString(workDir.resolve(MARKER), fingerprint + "\n");
    }
}
