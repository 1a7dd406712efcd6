package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pyruntime.archive.Sha256Sidecar;
import dev.pyruntime.archive.TarZst;
import dev.pyruntime.compile.DebugSymbols;
import dev.pyruntime.compile.ElfDebug;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.PlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug symbols split and its checks, on a small libpython compiled here with gcc -g: split with this machine's
 * objcopy, packed as package packs it, then checked as verify checks it, with the real gdb (a test dependency).
 */
class SymbolsCheckTest {
    @TempDir
    Path tmp;

    static final String LIB = "lib/libpython3.11.so.1.0";

    /** The test plan, with {@code archive.symbols: separate}. */
    BuildPlan plan() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = (ObjectNode) json.readTree(Path.of("src/test/resources/installed/3.11.2/plan.json").toFile());
        String name = node.path("archive").path("name").asText();
        ((ObjectNode) node.get("archive")).put("symbols", dev.pyruntime.manifest.Manifest.Archive.symbolsName(name));
        // Its link strips: without that, as a plan with symbols: separate must be.
        var ldflags = (com.fasterxml.jackson.databind.node.ArrayNode) node.get("flags").get("LDFLAGS");
        for (int i = ldflags.size() - 1; i >= 0; i--) {
            if (ldflags.get(i).path("value").asText().equals("-Wl,--strip-all")) {
                ldflags.remove(i);
            }
        }
        Path file = tmp.resolve("plan.json");
        json.writeValue(file.toFile(), node);
        return PlanJson.read(file);
    }

    /** A runtime tree with a libpython of one function and PyObject, linked with its debug information. */
    Path runtime() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("staging/lib"));
        Path src = Files.writeString(tmp.resolve("main.c"), """
                typedef struct _object { long ob_refcnt; struct _typeobject *ob_type; } PyObject;
                PyObject *Py_None;
                int Py_BytesMain(int argc, char **argv) {
                    return argc + (Py_None != 0);
                }
                """);
        Process p = new ProcessBuilder("gcc", "-g", "-O2", "-shared", "-fPIC", "-Wl,--build-id", "-o",
                root.resolve("libpython3.11.so.1.0").toString(), src.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        return root.getParent();
    }

    /** Splits the tree's ELF files and packs the symbols beside {@code archive}, as compile and package do. */
    DebugSymbols.Split splitAndPack(Path staging, Path archive, String name) throws Exception {
        Path symbols = tmp.resolve("symbols");
        DebugSymbols.Split split = DebugSymbols.split(new HostEnvironment(HostInfo.detect()), "objcopy", staging,
                symbols, "test", Files.createDirectories(tmp.resolve("logs")).resolve("symbols.log"));
        pack(symbols, archive.resolveSibling(name));
        return split;
    }

    static void pack(Path symbols, Path file) throws Exception {
        TarZst.Written w = TarZst.write(symbols, file, new TarZst.Settings(FileTime.fromMillis(0), 3, 20));
        Files.writeString(Sha256Sidecar.fileFor(file), w.sha256() + "  " + file.getFileName() + "\n");
    }

    @Test
    void gdbFindsTheSplitDebugFileByBuildIdAndNotWithoutIt() throws Exception {
        BuildPlan plan = plan();
        Path staging = runtime();
        String before = ElfDebug.read(staging.resolve(LIB)).buildId();
        Path archive = tmp.resolve(plan.archive().name());
        DebugSymbols.Split split = splitAndPack(staging, archive, plan.archive().symbols());
        assertEquals(1, split.files());
        ElfDebug shipped = ElfDebug.read(staging.resolve(LIB));
        assertEquals(before, shipped.buildId(), "strip keeps the build-id");
        assertFalse(shipped.debugInfo() || shipped.symtab(), "stripped");
        assertTrue(Files.readString(tmp.resolve("logs/symbols.log")).contains(LIB + " " + before));

        List<Check> checks = SymbolsCheck.run(plan, archive, staging, Set.of(LIB), true, tmp.resolve("scratch"));
        assertEquals(Check.Status.PASS, checks.get(0).status(), checks.toString());
        assertTrue(checks.get(0).detail().contains("1 ELF executables and shared objects"), checks.get(0).detail());
        assertEquals(Check.Status.PASS, checks.get(1).status(), checks.toString());
        assertTrue(checks.get(1).detail().matches(".*Py_BytesMain is line 4 of .*main\\.c.*PyObject has ob_type.*"),
                checks.get(1).detail());
    }

    @Test
    void aShippedFileWithoutItsDebugFileOrNotStrippedFails() throws Exception {
        BuildPlan plan = plan();
        Path staging = runtime();
        Path archive = tmp.resolve(plan.archive().name());
        splitAndPack(staging, archive, plan.archive().symbols());
        String id = ElfDebug.read(staging.resolve(LIB)).buildId();

        // The debug file is not in the symbols archive: named by its build-id, and gdb is not asked.
        Path symbols = tmp.resolve("symbols");
        Files.delete(symbols.resolve(ElfDebug.debugPath(id)));
        Files.writeString(symbols.resolve("README"), "not a debug file");
        pack(symbols, archive.resolveSibling(plan.archive().symbols()));
        List<Check> checks = SymbolsCheck.run(plan, archive, staging, Set.of(LIB), true, tmp.resolve("scratch"));
        assertEquals(Check.Status.FAIL, checks.get(0).status());
        assertTrue(checks.get(0).detail().contains(LIB + " (build-id " + id + ") has no " + ElfDebug.debugPath(id)),
                checks.get(0).detail());
        assertTrue(checks.get(0).detail().contains("holds what is the debug file of no shipped ELF file: README"),
                checks.get(0).detail());
        assertEquals(Check.Status.SKIPPED, checks.get(1).status());

        // The runtime's file is the unstripped link: its DWARF is shipped.
        Path unstripped = runtime();
        checks = SymbolsCheck.run(plan, archive, unstripped, Set.of(LIB), true, tmp.resolve("scratch"));
        assertEquals(Check.Status.FAIL, checks.get(0).status());
        assertTrue(checks.get(0).detail().contains(LIB + " is not stripped"), checks.get(0).detail());

        // A symbols archive that is not the one its .sha256 names.
        Files.writeString(Sha256Sidecar.fileFor(archive.resolveSibling(plan.archive().symbols())),
                "0".repeat(64) + "  " + plan.archive().symbols() + "\n");
        checks = SymbolsCheck.run(plan, archive, staging, Set.of(LIB), true, tmp.resolve("scratch"));
        assertTrue(checks.get(0).detail().contains(".sha256 says " + "0".repeat(64)), checks.get(0).detail());

        // Missing beside this build's own archive: a failure; beside a downloaded one: skipped, saying why.
        Files.delete(archive.resolveSibling(plan.archive().symbols()));
        assertEquals(Check.Status.FAIL, SymbolsCheck.run(plan, archive, staging, Set.of(LIB), true,
                tmp.resolve("scratch")).get(0).status());
        assertEquals(Check.Status.SKIPPED, SymbolsCheck.run(plan, archive, staging, Set.of(LIB), false,
                tmp.resolve("scratch")).get(0).status());
    }

    @Test
    void aStrippingLinkFlagIsRefusedBeforeAnythingIsBuilt() throws Exception {
        BuildPlan plan = plan();
        assertNull(DebugSymbols.conflict(plan), "plan() links without stripping");
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = (ObjectNode) json.readTree(PlanJson.write(plan));
        ((com.fasterxml.jackson.databind.node.ArrayNode) node.get("flags").get("LDFLAGS")).addObject()
                .put("value", "-Wl,--strip-all").put("origin", "overrides[2] (python.yaml:40)");
        Path file = tmp.resolve("stripping.json");
        json.writeValue(file.toFile(), node);
        String why = DebugSymbols.conflict(PlanJson.read(file));
        assertTrue(why != null && why.contains("LDFLAGS has -Wl,--strip-all (from overrides[2] (python.yaml:40))")
                && why.contains("remove it"), why);

        // Stripping among other linker options, through -Xlinker, or with gcc's -s in a make variable of the link.
        for (String value : List.of("-Wl,-O1,--strip-debug", "-Xlinker --strip-all", "-Wl,-s")) {
            ObjectNode n = (ObjectNode) json.readTree(PlanJson.write(plan));
            ((com.fasterxml.jackson.databind.node.ArrayNode) n.get("flags").get("LDFLAGS")).addObject()
                    .put("value", value).put("origin", "build.flags");
            json.writeValue(file.toFile(), n);
            String w = DebugSymbols.conflict(PlanJson.read(file));
            assertTrue(w != null && w.contains("LDFLAGS has " + value + " (from build.flags)"), value + ": " + w);
        }
        ObjectNode n = (ObjectNode) json.readTree(PlanJson.write(plan));
        n.with("make").putObject("LDFLAGS_NODIST").put("value", "-s").put("origin", "build.make");
        json.writeValue(file.toFile(), n);
        String w = DebugSymbols.conflict(PlanJson.read(file));
        assertTrue(w != null && w.contains("LDFLAGS_NODIST has -s (from build.make)"), w);
        n = (ObjectNode) json.readTree(PlanJson.write(plan));
        n.with("make").putObject("LDFLAGS_NODIST").put("value", "--param=inline-unit-growth=80 -Wl,-O1")
                .put("origin", "build.make");
        json.writeValue(file.toFile(), n);
        assertNull(DebugSymbols.conflict(PlanJson.read(file)), "nothing there strips");
    }
}
