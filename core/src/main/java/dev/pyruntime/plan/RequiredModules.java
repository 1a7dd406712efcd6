package dev.pyruntime.plan;

import dev.pyruntime.flags.Flag;
import dev.pyruntime.manifest.Adjustment;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.PythonVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The modules {@code verify} requires a target's runtime to import: the plugin's defaults for the release's series,
 * then the manifest's {@code verify.modules}, then each matching override's and profile's {@code verifyModules},
 * each module with where it came from.
 */
public final class RequiredModules {
    /**
     * The C extension modules a general-purpose runtime needs, whatever its version: also the ones verify's module-set
     * check takes as asked for (the extension modules that link a library of their own must be among what these
     * import). {@code _hashlib} is OpenSSL's hashes (hashlib falls back to the built-in ones without it).
     */
    public static final List<String> BASE = List.of("_hashlib", "_uuid", "bz2", "ctypes", "curses", "curses.panel",
            "dbm.gnu", "dbm.ndbm", "decimal", "lzma", "readline", "sqlite3", "ssl", "xml.parsers.expat", "zlib");
    static final String BASE_ORIGIN = "plugin default";
    static final String CRYPT_ORIGIN = "plugin default for 3.10 to 3.12 (PEP 594 removed crypt in 3.13)";
    static final String ZSTD_ORIGIN = "plugin default from 3.14 (PEP 784: compression.zstd, needs libzstd)";

    private RequiredModules() {
    }

    /** The plugin's defaults for {@code version}: {@link #BASE}, crypt for 3.10 to 3.12, compression.zstd from 3.14. */
    public static List<Flag> defaults(PythonVersion version) {
        List<Flag> out = new ArrayList<>();
        BASE.forEach(m -> out.add(new Flag(m, BASE_ORIGIN)));
        if (version.major() == 3 && version.minor() >= 10 && version.minor() <= 12) {
            out.add(new Flag("crypt", CRYPT_ORIGIN));
        }
        if (version.major() > 3 || version.minor() >= 14) {
            out.add(new Flag("compression.zstd", ZSTD_ORIGIN));
        }
        return out;
    }

    /**
     * @param adjustments the matching overrides' and active profiles' changes, in the order they apply
     * @param origins     each adjustment's label, as the plan shows it
     */
    static List<Flag> resolve(PythonVersion version, Manifest.Verify verify, List<Adjustment> adjustments,
                              List<String> origins) {
        List<Flag> modules = new dev.pyruntime.flags.Edit(verify.addModules(), verify.removeModules())
                .apply(defaults(version), "verify.modules");
        for (int i = 0; i < adjustments.size(); i++) {
            modules = adjustments.get(i).verifyModules().apply(modules, origins.get(i));
        }
        return List.copyOf(modules);
    }
}
