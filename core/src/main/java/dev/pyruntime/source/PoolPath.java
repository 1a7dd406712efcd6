package dev.pyruntime.source;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Debian archive keeps an upstream CPython file: its source package {@code pythonX.Y} stores the upstream
 * tarball as an "orig" tarball, byte for byte. {@code Python-3.11.2.tgz} is
 * {@code pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz}, {@code Python-3.13.5.tar.xz} is
 * {@code pool/main/p/python3.13/python3.13_3.13.5.orig.tar.xz}, and a {@code .asc} signature of either is the same
 * path plus {@code .asc}. Pre-releases use Debian's tilde: {@code 3.14.0rc1} is {@code 3.14.0~rc1}.
 */
public final class PoolPath {
    private static final Pattern UPSTREAM = Pattern.compile(
            "Python-((\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3}))((?:a|b|rc)\\d{1,3})?\\.(tgz|tar\\.xz)(\\.asc)?");

    private PoolPath() {
    }

    /** The pool path of an upstream file name, or empty when the name is not an upstream CPython tarball or its signature. */
    public static Optional<String> of(String upstreamFile) {
        Matcher m = UPSTREAM.matcher(upstreamFile);
        if (!m.matches()) {
            return Optional.empty();
        }
        String pkg = "python" + m.group(2) + "." + m.group(3);
        String version = m.group(1) + (m.group(5) == null ? "" : "~" + m.group(5));
        String ext = m.group(6).equals("tgz") ? "tar.gz" : "tar.xz";
        String asc = m.group(7) == null ? "" : ".asc";
        return Optional.of("pool/main/p/" + pkg + "/" + pkg + "_" + version + ".orig." + ext + asc);
    }
}
