package dev.pyruntime.verify;

import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.PythonVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code verify} requires of one target's archive beyond what its plan says.
 *
 * @param modules modules that must import
 * @param bin     globs of what {@code bin/} may hold
 */
public record VerifySpec(List<String> modules, List<String> bin) {

    /** The C extension modules a general-purpose runtime needs, whatever its version. */
    static final List<String> BASE_MODULES = List.of("_uuid", "bz2", "ctypes", "curses", "dbm.gnu", "dbm.ndbm", "decimal",
            "lzma", "readline", "sqlite3", "ssl", "xml.parsers.expat", "zlib");

    /** The defaults for {@code version} (crypt until 3.12, which is its last; compression.zstd from 3.14), edited by the manifest. */
    public static VerifySpec of(String version, Manifest.Verify manifest) {
        PythonVersion v = PythonVersion.parse(version).orElseThrow(() -> new IllegalArgumentException("not a version: " + version));
        List<String> modules = new ArrayList<>(BASE_MODULES);
        if (v.minor() >= 10 && v.minor() <= 12) {
            modules.add("crypt");
        }
        if (v.minor() >= 14) {
            modules.add("compression.zstd");
        }
        modules.removeAll(manifest.removeModules());
        for (String m : manifest.addModules()) {
            if (!modules.contains(m)) {
                modules.add(m);
            }
        }
        return new VerifySpec(List.copyOf(modules), manifest.bin());
    }
}
