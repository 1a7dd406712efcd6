package dev.pyruntime.compile;

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
    /** After the fingerprint: the build's source had a declared signature that was not checked (skipSignatures). */
    static final String UNCHECKED = " source-signature-not-checked";

    private UpToDate() {
    }

    public static boolean check(Path workDir, String fingerprint) {
        return check(workDir, fingerprint, false);
    }

    /**
     * @param acceptUnchecked whether a build from a source whose signature was not checked counts as up to date: only
     *                        for a run that skips signatures itself, so a run that checks them builds it again
     */
    public static boolean check(Path workDir, String fingerprint, boolean acceptUnchecked) {
        String marked = marked(workDir);
        return (fingerprint.equals(marked) || acceptUnchecked && (fingerprint + UNCHECKED).equals(marked))
                && Files.isDirectory(CPythonBuild.staging(workDir))
                && Files.isRegularFile(workDir.resolve(BuildInfo.FILE));
    }

    /** Whether the work directory holds a build of {@code fingerprint} whose source signature was not checked. */
    public static boolean builtUnchecked(Path workDir, String fingerprint) {
        return (fingerprint + UNCHECKED).equals(marked(workDir));
    }

    private static String marked(Path workDir) {
        Path marker = workDir.resolve(MARKER);
        try {
            return Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public static void invalidate(Path workDir) throws IOException {
        Files.deleteIfExists(workDir.resolve(MARKER));
    }

    public static void mark(Path workDir, String fingerprint) throws IOException {
        mark(workDir, fingerprint, false);
    }

    /** @param signatureUnchecked the source declared a signature, and this build did not check it */
    public static void mark(Path workDir, String fingerprint, boolean signatureUnchecked) throws IOException {
        dev.pyruntime.AtomicFiles.writeString(workDir.resolve(MARKER), fingerprint + (signatureUnchecked ? UNCHECKED : "")
                + "\n");
    }
}
