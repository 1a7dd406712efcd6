package dev.pyruntime.flags;

import java.util.Arrays;
import java.util.Optional;

/**
 * The compiler and linker flag sets a plan carries, with the {@code dpkg-buildflags} variable each is read from, the
 * manifest key that edits it, and the make variable it is passed to CPython's build as.
 */
public enum FlagKind {
    /** C compiler flags: appended after CPython's own OPT (-O3 ...) through EXTRA_CFLAGS. */
    CFLAGS("CFLAGS", "cflags", "EXTRA_CFLAGS"),
    /** Preprocessor flags (-D_FORTIFY_SOURCE): the published recipes drop these, which leaves FORTIFY off. */
    CPPFLAGS("CPPFLAGS", "cppflags", "CPPFLAGS"),
    /** Linker flags. */
    LDFLAGS("LDFLAGS", "ldflags", "LDFLAGS");

    private final String dpkgName;
    private final String manifestKey;
    private final String makeVariable;

    FlagKind(String dpkgName, String manifestKey, String makeVariable) {
        this.dpkgName = dpkgName;
        this.manifestKey = manifestKey;
        this.makeVariable = makeVariable;
    }

    public String dpkgName() {
        return dpkgName;
    }

    public String manifestKey() {
        return manifestKey;
    }

    public String makeVariable() {
        return makeVariable;
    }

    public static Optional<FlagKind> byManifestKey(String key) {
        return Arrays.stream(values()).filter(k -> k.manifestKey.equals(key)).findFirst();
    }
}
