package dev.pyruntime.verify;

import static dev.pyruntime.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The ELF checks on AArch64 files: programs Debian's cross gcc ({@code crossbuild-essential-arm64}) builds here with and
 * without each hardening flag, and the arm64 C library of its sysroot, held against checksec as {@link ElfFactsTest}
 * holds amd64 ones; and the interpreter check's arch, which must tell an arm64 interpreter from an amd64 one.
 */
class AArch64ElfTest {
    static final String CC = "aarch64-linux-gnu-gcc";
    static final Path SYSROOT_LIBS = Path.of("/usr/aarch64-linux-gnu/lib");

    @TempDir
    static Path tmp;
    static Path source;

    @BeforeAll
    static void writeSource() throws IOException {
        source = Files.writeString(tmp.resolve("p.c"), ElfFactsTest.PROGRAM);
    }

    static Path cc(String name, String... flags) {
        Path out = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(CC, "-o", out.toString()));
        cmd.addAll(List.of(flags));
        cmd.add(source.toString());
        run(cmd);
        return out;
    }

    static int machine(Path file) throws IOException {
        byte[] head = Files.readAllBytes(file);
        return Byte.toUnsignedInt(head[18]) | Byte.toUnsignedInt(head[19]) << 8;
    }

    @Test
    void aHardenedAArch64ExecutableHasEverything() throws IOException {
        Path p = cc("hardened", "-O2", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-fPIE", "-pie",
                "-Wl,-z,relro", "-Wl,-z,now", "-mbranch-protection=standard");
        assertEquals(183, machine(p), "EM_AARCH64");
        ElfFacts f = ElfFacts.read(p);
        assertTrue(f.pie() && f.relro() && f.bindNow() && f.nxStack() && f.stackProtector(), f.toString());
        assertTrue(f.fortified().contains("__strcpy_chk") || f.fortified().contains("__printf_chk"), f.toString());
        assertFalse(f.textrel());
        ElfFactsTest.agreesWithChecksec(p, f);
    }

    @Test
    void anUnhardenedAArch64ExecutableHasNothing() throws IOException {
        Path p = cc("weak", "-O0", "-fno-stack-protector", "-U_FORTIFY_SOURCE", "-no-pie", "-Wl,-z,norelro",
                "-Wl,-z,lazy", "-z", "execstack");
        ElfFacts f = ElfFacts.read(p);
        assertFalse(f.pie() || f.relro() || f.bindNow() || f.nxStack() || f.stackProtector(), f.toString());
        assertEquals(List.of(), f.fortified());
        ElfFactsTest.agreesWithChecksec(p, f);
    }

    @Test
    void theArm64LibrariesOfTheCrossSysroot() throws IOException {
        List<Path> libs;
        try (Stream<Path> s = Files.list(SYSROOT_LIBS)) {
            // Not libc.so.6: it is also a program (it has an interpreter and prints its version when run), which the
            // ELF checks count as position-independent and checksec calls a DSO, on amd64 as on arm64.
            libs = s.filter(p -> p.getFileName().toString().matches("lib(m|stdc\\+\\+|gcc_s|atomic)\\.so\\.[0-9.]+"))
                    .filter(ElfFacts::isElf).sorted().toList();
        }
        assertTrue(libs.size() >= 4, "arm64 libraries in " + SYSROOT_LIBS + ": " + libs);
        for (Path lib : libs) {
            assertEquals(183, machine(lib), lib.toString());
            ElfFacts f = ElfFacts.read(lib);
            assertFalse(f.pie(), lib + " is a library, not a PIE");
            ElfFactsTest.agreesWithChecksec(lib, f);
        }
    }

    @Test
    void theInterpreterCheckTellsAnArm64InterpreterFromAnAmd64One() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tree/bin")).getParent();
        Files.copy(cc("python-arm64", "-O2", "-fPIE", "-pie"), root.resolve("bin/python3.11"));
        Files.createSymbolicLink(root.resolve("bin/python3"), Path.of("python3.11"));

        Check arm64 = InterpreterCheck.run(root, "arm64");
        assertEquals(Check.Status.PASS, arm64.status(), arm64.detail());
        assertTrue(arm64.detail().endsWith("ELF PIE, machine 183 (arm64)"), arm64.detail());
        Check amd64 = InterpreterCheck.run(root, "amd64");
        assertEquals(Check.Status.FAIL, amd64.status());
        assertEquals("bin/python3.11 is built for ELF machine 183, but the target's arch amd64 is machine 62",
                amd64.detail());
    }
}
