package dev.pyruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.flags.Edit;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.manifest.Adjustment;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.PythonVersion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequiredModulesTest {
    private static List<String> names(List<Flag> flags) {
        return flags.stream().map(Flag::value).toList();
    }

    private static List<Flag> defaults(String version) {
        return RequiredModules.defaults(PythonVersion.parse(version).orElseThrow());
    }

    @Test
    void cryptUntil312AndZstdFrom314EachSayingWhy() {
        assertTrue(names(defaults("3.10.20")).contains("crypt"));
        assertTrue(names(defaults("3.12.13")).contains("crypt"));
        assertFalse(names(defaults("3.13.5")).contains("crypt"));
        assertFalse(names(defaults("3.13.5")).contains("compression.zstd"));
        assertTrue(names(defaults("3.14.6")).containsAll(RequiredModules.BASE));
        Flag zstd = defaults("3.14.6").get(RequiredModules.BASE.size());
        assertEquals(new Flag("compression.zstd", RequiredModules.ZSTD_ORIGIN), zstd);
        assertEquals(new Flag("crypt", RequiredModules.CRYPT_ORIGIN), defaults("3.11.2").get(RequiredModules.BASE.size()));
    }

    @Test
    void theManifestThenOverridesEditThemInOrder() {
        Manifest.Verify verify = new Manifest.Verify(List.of("_ctypes_test", "ssl"), List.of("curses", "crypt"), List.of("python*"));
        Adjustment override = new Adjustment(Edit.NONE, Map.of(), Map.of(), Set.of(), List.of(), Edit.NONE,
                new Edit(List.of("_tkinter"), List.of("_ctypes_test")));
        List<Flag> modules = RequiredModules.resolve(PythonVersion.parse("3.11.2").orElseThrow(), verify,
                List.of(override), List.of("overrides[2] (python.yaml:40)"));
        List<String> n = names(modules);
        assertFalse(n.contains("curses") || n.contains("crypt") || n.contains("_ctypes_test"), n.toString());
        assertEquals(1, n.stream().filter("ssl"::equals).count());
        assertEquals(new Flag("_tkinter", "overrides[2] (python.yaml:40)"), modules.get(modules.size() - 1));
        assertEquals(new Flag("ssl", "plugin default"), modules.stream().filter(f -> f.value().equals("ssl")).findFirst().orElseThrow());
    }
}
