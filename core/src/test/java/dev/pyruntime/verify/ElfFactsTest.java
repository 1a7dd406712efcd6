package dev.pyruntime.verify;

import static dev.pyruntime.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our ELF verdicts against an independent tool, Debian's {@code checksec}, on binaries gcc builds here with and without
 * each hardening flag, and on the system's own hardened libraries.
 */
class ElfFactsTest {
    static final String PROGRAM = """
            #include <stdio.h>
            #include <string.h>
            int greet(const char *who) {
                char buf[64];
                strcpy(buf, who);
                printf("%s\\n", buf);
                return (int) strlen(buf);
            }
            int main(int argc, char **argv) { return greet(argc > 1 ? argv[1] : "x"); }
            """;

    @TempDir
    static Path tmp;
    static Path source;

    @BeforeAll
    static void writeSource() throws IOException {
        source = tmp.resolve("p.c");
        Files.writeString(source, PROGRAM);
    }

    static Path gcc(String name, String... flags) {
        Path out = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-o", out.toString()));
        cmd.addAll(List.of(flags));
        cmd.add(source.toString());
        run(cmd);
        return out;
    }

    @Test
    void aHardenedExecutableHasEverything() throws IOException {
        Path p = gcc("hardened", "-O2", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-fPIE", "-pie",
                "-Wl,-z,relro", "-Wl,-z,now");
        ElfFacts f = ElfFacts.read(p);
        assertTrue(f.pie() && f.relro() && f.bindNow() && f.nxStack() && f.stackProtector(), f.toString());
        assertTrue(f.fortified().contains("__strcpy_chk") || f.fortified().contains("__printf_chk"), f.toString());
        assertFalse(f.textrel());
        agreesWithChecksec(p, f);
    }

    @Test
    void anUnhardenedExecutableHasNothing() throws IOException {
        Path p = gcc("weak", "-O0", "-fno-stack-protector", "-U_FORTIFY_SOURCE", "-no-pie", "-Wl,-z,norelro",
                "-Wl,-z,lazy", "-z", "execstack");
        ElfFacts f = ElfFacts.read(p);
        assertFalse(f.pie() || f.relro() || f.bindNow() || f.nxStack() || f.stackProtector(), f.toString());
        assertEquals(List.of(), f.fortified());
        agreesWithChecksec(p, f);
    }

    @Test
    void partialRelroAndRunpathVersusRpath() throws IOException {
        Path runpath = gcc("runpath", "-O2", "-fPIE", "-pie", "-Wl,-z,relro", "-Wl,-z,lazy", "-Wl,--enable-new-dtags",
                "-Wl,-rpath,$ORIGIN/../lib:/opt/lib");
        ElfFacts f = ElfFacts.read(runpath);
        assertTrue(f.relro() && !f.bindNow(), f.toString());
        assertEquals(List.of("$ORIGIN/../lib", "/opt/lib"), f.runpath());
        assertEquals(List.of(), f.rpath());
        agreesWithChecksec(runpath, f);

        Path rpath = gcc("rpath", "-O2", "-Wl,--disable-new-dtags", "-Wl,-rpath,/opt/lib");
        ElfFacts r = ElfFacts.read(rpath);
        assertEquals(List.of("/opt/lib"), r.rpath());
        assertEquals(List.of(), r.runpath());
        agreesWithChecksec(rpath, r);
    }

    @Test
    void sharedLibrariesOfThisSystem() throws IOException {
        List<Path> libs;
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/x86_64-linux-gnu"))) {
            libs = s.filter(p -> p.getFileName().toString().matches("lib(ssl|crypto|z|sqlite3|ffi)\\.so\\.[0-9.]+"))
                    .filter(ElfFacts::isElf).sorted().toList();
        }
        assertFalse(libs.isEmpty(), "no system libraries found to compare");
        for (Path lib : libs) {
            ElfFacts f = ElfFacts.read(lib);
            assertFalse(f.pie(), lib + " is a library, not a PIE");
            agreesWithChecksec(lib, f);
        }
    }

    @Test
    void recognisesElfByItsMagicAndTellsObjectFilesFromLoadableOnes() throws IOException {
        Path program = gcc("magic", "-O0");
        assertTrue(ElfFacts.isElf(program));
        assertTrue(ElfFacts.read(program).loadable());
        assertFalse(ElfFacts.isElf(source));
        Path object = gcc("p.o", "-c");
        assertTrue(ElfFacts.isElf(object));
        assertFalse(ElfFacts.read(object).loadable(), "a .o is not loaded, so load-time hardening does not apply");
    }

    /** checksec's relro, canary, nx, pie, rpath, runpath and fortify verdicts, against ours. */
    static void agreesWithChecksec(Path file, ElfFacts f) throws IOException {
        JsonNode all = new ObjectMapper().readTree(run(List.of("checksec", "--output=json", "--file=" + file)));
        JsonNode c = all.get(file.toString());
        String what = file + ": checksec says " + c + ", we say " + f;
        assertEquals(f.relro() ? (f.bindNow() ? "full" : "partial") : "no", c.get("relro").asText(), what);
        assertEquals(f.stackProtector() ? "yes" : "no", c.get("canary").asText(), what);
        assertEquals(f.nxStack() ? "yes" : "no", c.get("nx").asText(), what);
        assertEquals(f.pie() ? "yes" : isExecutable(file) ? "no" : "dso", c.get("pie").asText(), what);
        assertEquals(f.rpath().isEmpty() ? "no" : "yes", c.get("rpath").asText(), what);
        assertEquals(f.runpath().isEmpty() ? "no" : "yes", c.get("runpath").asText(), what);
        assertEquals(f.fortified().isEmpty() ? "no" : "yes", c.get("fortify_source").asText(), what);
    }

    private static boolean isExecutable(Path file) {
        return !file.getFileName().toString().contains(".so");
    }

    /** A file with the ELF magic and a crafted or truncated header is the file's fault: an IOException, no crash. */
    @org.junit.jupiter.api.Test
    void aCraftedElfHeaderIsAnIoErrorNotACrash(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.util.Random random = new java.util.Random(20);
        for (int size : new int[] {4, 16, 52, 64, 200, 4096}) {
            for (int round = 0; round < 20; round++) {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                bytes[0] = 0x7f;
                bytes[1] = 'E';
                bytes[2] = 'L';
                bytes[3] = 'F';
                if (size > 6) {
                    bytes[4] = 2;   // 64-bit
                    bytes[5] = 1;   // little-endian
                }
                java.nio.file.Path f = java.nio.file.Files.write(dir.resolve("elf-" + size + "-" + round), bytes);
                try {
                    ElfFacts.read(f);
                } catch (java.io.IOException expected) {
                    org.junit.jupiter.api.Assertions.assertTrue(expected.getMessage().contains("not a readable ELF file"));
                }
            }
        }
    }
}
