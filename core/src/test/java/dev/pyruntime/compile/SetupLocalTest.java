package dev.pyruntime.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import dev.pyruntime.flags.Flag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setup.local from the real Modules/Setup.stdlib.in of CPython 3.11.2, 3.13.5 and 3.14.6 (copied into the test resources). */
class SetupLocalTest {
    private static String stdlibIn(String version) throws Exception {
        return Files.readString(Path.of(SetupLocalTest.class.getResource("/setup-stdlib/" + version).toURI()));
    }

    private static List<Flag> modules(String... names) {
        return java.util.Arrays.stream(names).map(n -> new Flag(n, "overrides[1] (python.yaml:40)")).toList();
    }

    @Test
    void rulesAreTheReleasesOwnWithoutTheConfigureMarker() throws Exception {
        Map<String, String> rules = SetupLocal.rules(stdlibIn("3.11.2"));
        assertEquals("_json _json.c", rules.get("_json"));
        assertEquals("math mathmodule.c", rules.get("math"));
        assertEquals("_blake2 _blake2/blake2module.c _blake2/blake2b_impl.c _blake2/blake2s_impl.c", rules.get("_blake2"));
        // Commented out in 3.11: setup.py builds these.
        assertTrue(rules.containsKey("_ctypes") && rules.get("_ctypes") == null);
        assertNull(rules.get("readline"));
        // After the literal *shared*: modules that must stay shared libraries are not offered.
        assertFalse(rules.containsKey("xxlimited"));
        assertFalse(rules.containsKey("_testmultiphase"));
        assertTrue(rules.containsKey("_testcapi"), "test modules before *shared* may be built in");
    }

    @Test
    void in313EveryStdlibRuleIsActive() throws Exception {
        Map<String, String> rules = SetupLocal.rules(stdlibIn("3.13.5"));
        assertTrue(rules.get("_ctypes").startsWith("_ctypes _ctypes/_ctypes.c"), rules.get("_ctypes"));
        assertEquals("_json _json.c", rules.get("_json"));
        assertFalse(rules.containsKey("xxlimited"));
    }

    @Test
    void writesTheRulesUnderStaticInPlanOrder(@TempDir Path tree) throws Exception {
        Files.createDirectories(tree.resolve("Modules"));
        Files.writeString(tree.resolve(SetupLocal.STDLIB_IN), stdlibIn("3.11.2"));
        SetupLocal.write(tree, modules("_random", "_json", "math"), "3.11.2-debian-12-amd64", "3.11.2");
        List<String> lines = Files.readAllLines(tree.resolve(SetupLocal.FILE));
        assertEquals(List.of("*static*", "_random _randommodule.c", "_json _json.c", "math mathmodule.c"),
                lines.subList(1, lines.size()));
        assertTrue(lines.get(0).startsWith("#"));
    }

    @Test
    void noModulesWriteNothing(@TempDir Path tree) throws Exception {
        SetupLocal.write(tree, List.of(), "3.10.20-debian-12-amd64", "3.10.20");
        assertFalse(Files.exists(tree.resolve(SetupLocal.FILE)));
    }

    @Test
    void unknownAndSetupPyModulesAreNamedWithTheirOrigin(@TempDir Path tree) throws Exception {
        Files.createDirectories(tree.resolve("Modules"));
        Files.writeString(tree.resolve(SetupLocal.STDLIB_IN), stdlibIn("3.11.2"));
        UserError e = assertThrows(UserError.class, () -> SetupLocal.write(tree, modules("_jsno", "_ctypes", "math"),
                "3.11.2-debian-12-amd64", "3.11.2"));
        String m = e.getMessage();
        assertTrue(m.startsWith("3.11.2-debian-12-amd64: builtinModules: '_jsno' (overrides[1] (python.yaml:40)) is not "
                + "a module of CPython 3.11.2's Modules/Setup.stdlib.in; did you mean '_json'?"), m);
        assertTrue(m.contains("'_ctypes' (overrides[1] (python.yaml:40)) is commented out in CPython 3.11.2's "
                + "Modules/Setup.stdlib.in"), m);
        assertTrue(m.contains("Modules CPython 3.11.2 can build in: array, _asyncio, _bisect"), m);
        assertFalse(Files.exists(tree.resolve(SetupLocal.FILE)), "nothing written when a module is wrong");
    }

    @Test
    void releasesBefore311SayWhy(@TempDir Path tree) {
        UserError e = assertThrows(UserError.class, () -> SetupLocal.write(tree, modules("_json"),
                "3.10.20-debian-12-amd64", "3.10.20"));
        assertTrue(e.getMessage().contains("builtinModules needs CPython 3.11 or later"), e.getMessage());
        assertTrue(e.getMessage().contains("'when: { version: \">=3.11\" }'"), e.getMessage());
    }

    @Test
    void in314HmacBesideTheHashModulesIsRefusedBeforeTheLinkFails() throws Exception {
        Map<String, String> rules = SetupLocal.rules(stdlibIn("3.14.6"));
        // Each alone is fine: the hash modules' HACL* objects do not overlap, and _hmac alone links its own.
        SetupLocal.render(modules("_md5", "_sha1", "_sha2", "_sha3", "_blake2"), rules, "t", "3.14.6");
        SetupLocal.render(modules("_hmac", "_json"), rules, "t", "3.14.6");
        UserError e = assertThrows(UserError.class, () -> SetupLocal.render(modules("_sha2", "_hmac", "_blake2"), rules,
                "3.14.6-debian-12-amd64", "3.14.6"));
        assertTrue(e.getMessage().startsWith("3.14.6-debian-12-amd64: builtinModules: '_hmac' (overrides[1] (python.yaml:40)) "
                + "links the HACL* objects of _sha2, _blake2 again in CPython 3.14.6, so with them built in the link fails "
                + "with \"multiple definition\" errors; build in either _hmac or the hash modules, not both"), e.getMessage());
        // 3.14 builds _opcode and _datetime into the core: they are no longer Setup.stdlib modules.
        assertFalse(rules.containsKey("_opcode") || rules.containsKey("_datetime"));
    }
}
