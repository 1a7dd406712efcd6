package dev.pyruntime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AArch64 programs that Debian's cross gcc builds, run on this amd64 machine through QEMU user mode as verify runs a
 * cross-built runtime's: named explicitly when binfmt_misc has no registration, with the target's loader standing in
 * for ldd, inside the sandbox, and with the cross compiler as {@code gcc}. Needs crossbuild-essential-arm64,
 * qemu-user-static and libc6:arm64 (the multiarch C library the programs load), which .ci/run installs.
 */
class EmulationTest {
    static final String CC = "aarch64-linux-gnu-gcc";
    /** qemu-user-static's own registration of QEMU for AArch64 ELF files, in systemd's binfmt.d syntax. */
    static final Path QEMU_AARCH64 = Path.of("/usr/lib/binfmt.d/qemu-aarch64.conf");

    @TempDir
    Path dir;

    private Path compile(String name, String source, String... flags) throws Exception {
        Files.writeString(dir.resolve(name + ".c"), source);
        List<String> cmd = new ArrayList<>(List.of(CC, "-o", dir.resolve(name).toString(), dir.resolve(name + ".c")
                .toString()));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return dir.resolve(name);
    }

    private Emulation explicit() throws Exception {
        Path none = Files.createDirectories(dir.resolve("no-binfmt"));
        return Emulation.find(new HostEnvironment(HostInfo.detect()), "arm64", none);
    }

    /** The registration as the kernel prints it in /proc/sys/fs/binfmt_misc, from the binfmt.d line. */
    static String asTheKernelPrintsIt(String binfmtD, boolean enabled) {
        String[] f = binfmtD.strip().split(":");
        return (enabled ? "enabled" : "disabled") + "\ninterpreter " + f[6] + "\nflags: " + f[7] + "\noffset 0\nmagic "
                + f[4].replace("\\x", "") + "\nmask " + f[5].replace("\\x", "") + "\n";
    }

    @Test
    void qemuUserStaticsOwnRegistrationIsReadAsTheKernelPrintsIt() throws Exception {
        String conf = Files.readString(QEMU_AARCH64);
        Emulation.Binfmt b = Emulation.Binfmt.parse("qemu-aarch64", asTheKernelPrintsIt(conf, true), 183);
        assertEquals("/usr/libexec/qemu-binfmt/aarch64-binfmt-P", b.interpreter());
        assertTrue(b.fixed(), "Debian registers it with flag F");
        // Not for x86-64 ELF files, and not once disabled.
        assertNull(Emulation.Binfmt.parse("qemu-aarch64", asTheKernelPrintsIt(conf, true), 62));
        assertNull(Emulation.Binfmt.parse("qemu-aarch64", asTheKernelPrintsIt(conf, false), 183));

        // In a binfmt_misc directory: found, unless binfmt_misc as a whole is disabled.
        Path binfmt = Files.createDirectories(dir.resolve("binfmt_misc"));
        Files.writeString(binfmt.resolve("status"), "enabled\n");
        Files.writeString(binfmt.resolve("register"), "");
        Files.writeString(binfmt.resolve("qemu-aarch64"), asTheKernelPrintsIt(conf, true));
        assertEquals("qemu-aarch64", Emulation.Binfmt.find(binfmt, 183).name());
        Emulation viaBinfmt = Emulation.find(new HostEnvironment(HostInfo.detect()), "arm64", binfmt);
        assertFalse(viaBinfmt.explicit());
        assertTrue(viaBinfmt.describe().startsWith("binfmt_misc qemu-aarch64"), viaBinfmt.describe());
        // Then programs run as they are: the kernel hands them to QEMU.
        Path hello = compile("hello", "int main(void) { return 0; }\n");
        RecordingEnvironment recorded = new RecordingEnvironment("recording");
        viaBinfmt.wrap(recorded).run(List.of(hello.toString()), Map.of(), dir);
        assertEquals(List.of(List.of(hello.toString())), recorded.ran);

        Files.writeString(binfmt.resolve("status"), "disabled\n");
        assertNull(Emulation.Binfmt.find(binfmt, 183));
        assertTrue(Emulation.find(new HostEnvironment(HostInfo.detect()), "arm64", binfmt).explicit());
    }

    @Test
    void anAarch64ProgramRunsThroughQemuNamedBeforeIt() throws Exception {
        Path hello = compile("hello", "#include <stdio.h>\n#include <math.h>\n"
                + "int main(int argc, char **argv) { printf(\"%s %.1f\\n\", argv[1], sqrt(6.25)); return 3; }\n", "-lm");
        HostEnvironment host = new HostEnvironment(HostInfo.detect());
        // On its own, this machine cannot run it (unless the kernel hands AArch64 files to QEMU already: systemd
        // registers qemu-user-static's binfmt.d entries at boot).
        if (Emulation.Binfmt.find(Emulation.BINFMT_MISC, 183) == null) {
            assertNotEquals("argument 2.5", runQuietly(host, hello));
        }

        Emulation emulation = explicit();
        assertTrue(emulation.explicit());
        assertTrue(emulation.describe().startsWith("qemu-aarch64-static "), emulation.describe());
        ExecResult r = emulation.wrap(host).run(List.of(hello.toString(), "argument"), Map.of(), dir);
        assertEquals("argument 2.5", r.stdout().strip());
        assertEquals(3, r.exitCode());
    }

    private static String runQuietly(BuildEnvironment env, Path program) {
        try {
            return env.run(List.of(program.toString(), "argument"), Map.of(), program.getParent()).stdout().strip();
        } catch (dev.pyruntime.UserError e) {
            return "not run: " + e.getMessage();
        }
    }

    @Test
    void lddIsTheTargetsLoaderListingEachFileAsLddDoes() throws Exception {
        compile("libgone.so", "int gone(void) { return 1; }\n", "-shared", "-fPIC");
        Path linked = compile("linked", "int gone(void);\nint main(void) { return gone(); }\n",
                "-L" + dir, "-l:libgone.so");
        Path plain = compile("plain", "#include <math.h>\nint main(int c, char **v) { return (int) sqrt(c); }\n", "-lm");
        Files.delete(dir.resolve("libgone.so"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a program\n");
        BuildEnvironment env = explicit().wrap(new HostEnvironment(HostInfo.detect()));

        ExecResult one = env.run(List.of("ldd", "--", plain.toString()), Map.of(), dir);
        assertTrue(one.ok(), one.stderr());
        assertFalse(one.stdout().contains(plain + ":"), "one file: no header, as ldd prints it");
        assertTrue(one.stdout().matches("(?s).*\\tlibm\\.so\\.6 => /(usr/)?lib/aarch64-linux-gnu/libm\\.so\\.6 .*"),
                one.stdout());
        assertTrue(one.stdout().contains("ld-linux-aarch64.so.1"), one.stdout());

        ExecResult many = env.run(List.of("ldd", plain.toString(), linked.toString(), text.toString()), Map.of(), dir);
        assertEquals(1, many.exitCode(), "a file the loader cannot list fails ldd, as it does");
        assertTrue(many.stdout().contains(plain + ":\n") && many.stdout().contains(linked + ":\n"), many.stdout()
                + many.stderr());
        assertTrue(many.stdout().contains("\tlibgone.so => not found"), many.stdout());
        assertTrue(many.stderr().startsWith(text + ": "), many.stderr());
    }

    @Test
    void inTheSandboxItRunsConfinedAndGccIsTheCrossCompiler() throws Exception {
        Path whoami = compile("whoami", "#include <stdio.h>\n#include <unistd.h>\n"
                + "int main(void) { printf(\"%d\\n\", (int) getuid()); return 0; }\n");
        // As verify's work directory is: readable by the confined user.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tools = dir.resolve("tools");
        Emulation.tools(tools, "aarch64-linux-gnu");
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Sandbox sandbox = Sandbox.of(new HostEnvironment(HostInfo.detect()));
        BuildEnvironment confined = explicit().wrap(sandbox.confine(whoami.getParent(), List.of(scratch),
                List.of(tools)), tools);

        ExecResult uid = confined.run(List.of(whoami.toString()), Map.of(), scratch);
        assertEquals(Sandbox.callerIsRoot() ? Integer.toString(Sandbox.NOBODY) : uidOfThisProcess(),
                uid.stdout().strip(), uid.exitCode() + ": " + uid.stderr());
        ExecResult gcc = confined.run(List.of("gcc", "-dumpmachine"), Map.of(), scratch);
        assertEquals("aarch64-linux-gnu", gcc.stdout().strip(), gcc.stderr());
        ExecResult cc = confined.run(List.of("cc", "-dumpmachine"), Map.of(), scratch);
        assertEquals("aarch64-linux-gnu", cc.stdout().strip(), cc.stderr());

        // ldd in the sandbox is the target's loader, for the file asked: not a program of the sandbox's own chain.
        compile("libgone.so", "int gone(void) { return 1; }\n", "-shared", "-fPIC");
        Path linked = compile("linked", "int gone(void);\nint main(void) { return gone(); }\n", "-L" + dir,
                "-l:libgone.so");
        Files.delete(dir.resolve("libgone.so"));
        ExecResult ldd = confined.run(List.of("ldd", "--", linked.toString(), whoami.toString()), Map.of(), scratch);
        assertTrue(ldd.stdout().contains(linked + ":\n\tlibgone.so => not found"), ldd.stdout() + ldd.stderr());
        assertTrue(ldd.stdout().contains("aarch64-linux-gnu/libc.so.6"), ldd.stdout());
        assertFalse(ldd.stdout().contains("x86_64"), "the libraries of a program of this machine: " + ldd.stdout());
    }

    private static String uidOfThisProcess() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    }

    @Test
    void withoutQemuOrARegistrationItSaysWhatToInstall() throws Exception {
        Path none = Files.createDirectories(dir.resolve("no-binfmt"));
        Unavailable e = org.junit.jupiter.api.Assertions.assertThrows(Unavailable.class,
                () -> Emulation.find(new BuildEnvironment() {
                    @Override
                    public String describe() {
                        return "an environment without qemu";
                    }

                    @Override
                    public String executor() {
                        return "host";
                    }

                    @Override
                    public ExecResult run(List<String> command, Map<String, String> env, Path workDir) {
                        return new ExecResult(127, "", command.get(0) + ": not found");
                    }

                    @Override
                    public int stream(List<String> command, Map<String, String> env, Path workDir, Path log,
                                      java.util.function.Consumer<String> lines) {
                        return 127;
                    }
                }, "arm64", none));
        assertEquals("nothing here runs arm64 programs: an environment without qemu has no qemu-aarch64-static "
                + "(apt-get install qemu-user-static), and binfmt_misc has no enabled aarch64 registration", e.getMessage());
    }
}
