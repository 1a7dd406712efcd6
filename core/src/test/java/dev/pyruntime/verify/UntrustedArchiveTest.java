package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.RecordingConsole;
import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import dev.pyruntime.archive.TarZst;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ExecResult;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.PlanJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives that are not what they claim, verified as a downloaded archive is ({@code -Dpython-runtime.archive}): made
 * here, packed with the plugin's own packer, then unpacked and checked by the real {@link Verifier} on this machine.
 * Nothing from them runs unless it is an ELF executable of the target's arch, and then only in the sandbox: a hostile
 * interpreter that tries to write outside its scratch directory, reach a server on 127.0.0.1 and read a file of the
 * host does none of it.
 */
class UntrustedArchiveTest {
    @TempDir
    Path tmp;

    private static BuildPlan plan() throws Exception {
        return PlanJson.read(Path.of("src/test/resources/installed/3.11.2/plan.json"));
    }

    /** Packs {@code tree} as the plan's archive, as a download would arrive: no .sha256 or metadata beside it. */
    private Path pack(BuildPlan plan, Path tree) throws IOException {
        Path archive = tmp.resolve("download").resolve(plan.archive().name());
        TarZst.write(tree, archive, new TarZst.Settings(FileTime.fromMillis(0), 3, 20));
        return archive;
    }

    private Verifier.Result verify(BuildEnvironment env, Path archive, boolean runUnconfined) throws Exception {
        BuildPlan plan = plan();
        return new Verifier(new RecordingConsole(), env, null, runUnconfined, Vocabulary.PLAIN)
                .verify(plan, VerifySpec.of(plan), archive, tmp.resolve("work"), false);
    }

    private static Check check(Verifier.Result r, String id) {
        return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(
                "no check " + id + " in " + r.checks()));
    }

    private Path tree(String python3, byte[] content) throws IOException {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("bin"));
        if (content != null) {
            Files.write(tree.resolve("bin").resolve(python3), content);
            Files.setPosixFilePermissions(tree.resolve("bin").resolve(python3), PosixFilePermissions.fromString("rwxr-xr-x"));
            if (!python3.equals("python3")) {
                Files.createSymbolicLink(tree.resolve("bin/python3"), Path.of(python3));
            }
        }
        return tree;
    }

    private static void assertNothingRan(Verifier.Result r, String why) {
        Check interpreter = check(r, InterpreterCheck.ID);
        assertEquals(Check.Status.FAIL, interpreter.status(), interpreter.toString());
        assertTrue(interpreter.detail().contains(why), interpreter.detail());
        for (String id : List.of("version", "modules", "sysconfig", "ldd", "extension", "embed", "run-image")) {
            Check c = check(r, id);
            assertEquals(Check.Status.SKIPPED, c.status(), c.toString());
            assertTrue(c.detail().startsWith("not run: "), c.detail());
        }
        assertTrue(Files.isRegularFile(r.report()), "a report is written for every archive");
    }

    @Test
    void aShellScriptAsTheInterpreterIsNeverRun() throws Exception {
        Path outside = tmp.resolve("written-by-the-script");
        Path archive = pack(plan(), tree("python3.11", ("#!/bin/sh\ntouch '" + outside + "'\necho 'Python 3.11.2'\n")
                .getBytes()));
        Verifier.Result r = verify(new HostEnvironment(HostInfo.detect()), archive, true);

        assertNothingRan(r, "python3.11 is not an ELF file (it is a script)");
        assertFalse(Files.exists(outside), "the script ran");
        assertTrue(r.failures().stream().anyMatch(c -> c.id().equals(InterpreterCheck.ID)));
    }

    @Test
    void anEmptyTruncatedOrMissingInterpreterGetsAReportWithFailedChecks() throws Exception {
        Map<String, byte[]> cases = new java.util.LinkedHashMap<>();
        cases.put("is not an ELF file (it is empty)", new byte[0]);
        cases.put("is a truncated ELF file (7 bytes)", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        cases.put("bin/python3 is missing", null);
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            dev.pyruntime.compile.Cleanup.delete(tmp.resolve("tree"));
            Path archive = pack(plan(), tree("python3", c.getValue()));
            Verifier.Result r = verify(new HostEnvironment(HostInfo.detect()), archive, false);
            assertNothingRan(r, c.getKey());
            JsonNode report = new ObjectMapper().readTree(r.report().toFile());
            assertFalse(report.get("passed").asBoolean());
        }
    }

    @Test
    void anInterpreterOfAnotherArchIsNotRun() throws Exception {
        // A real executable of this machine, relabelled as AArch64 (e_machine 183) in its header.
        byte[] elf = Files.readAllBytes(Path.of("/bin/true"));
        elf[18] = (byte) 183;
        elf[19] = 0;
        Verifier.Result r = verify(new HostEnvironment(HostInfo.detect()), pack(plan(), tree("python3.11", elf)), true);
        assertNothingRan(r, "is built for ELF machine 183, but the target's arch amd64 is machine 62");
    }

    /** A C program that, run as bin/python3, tries what a hostile archive would, and says how each try went. */
    private Path hostileInterpreter(Path outside, Path secret, int port) throws Exception {
        Path src = tmp.resolve("hostile.c");
        Files.writeString(src, """
                #include <arpa/inet.h>
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include <sys/socket.h>
                #include <unistd.h>
                int main(int argc, char **argv) {
                    /* bin/python3 --version must print the version alone: the account goes to the other calls. */
                    if (argc > 1 && strcmp(argv[1], "--version") == 0) freopen("/dev/null", "w", stderr);
                    FILE *f = fopen(OUTSIDE, "w");
                    fprintf(stderr, "write-outside=%s\\n", f ? "yes" : "no");
                    if (f) fclose(f);
                    char buf[256] = "";
                    FILE *s = fopen(SECRET, "r");
                    if (s) { fgets(buf, sizeof buf, s); fclose(s); }
                    fprintf(stderr, "secret=%s\\n", s ? buf : "unreadable");
                    int fd = socket(AF_INET, SOCK_STREAM, 0);
                    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT) };
                    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
                    fprintf(stderr, "connect=%s\\n", connect(fd, (struct sockaddr *) &a, sizeof a) == 0 ? "yes" : "no");
                    const char *home = getenv("HOME");
                    fprintf(stderr, "uid=%d home=%s\\n", (int) getuid(), home ? home : "");
                    if (argc > 1 && strcmp(argv[1], "--version") == 0) puts("Python 3.11.2");
                    return 0;
                }
                """);
        Path bin = tmp.resolve("hostile");
        Process cc = new ProcessBuilder("cc", "-O1", "-o", bin.toString(), "-DOUTSIDE=\"" + outside + "\"",
                "-DSECRET=\"" + secret + "\"", "-DPORT=" + port, src.toString()).inheritIO().start();
        assertEquals(0, cc.waitFor(), "cc failed");
        return bin;
    }

    @Test
    void aHostileInterpreterRunsInTheSandboxWithoutNetworkHostFilesOrRoot() throws Exception {
        Path outside = tmp.resolve("outside/written-by-the-archive");
        Files.createDirectories(outside.getParent());
        Files.setPosixFilePermissions(outside.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path secret = tmp.resolve("secret/token");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "s3cr3t-of-the-host\n");
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Path bin = hostileInterpreter(outside, secret, server.getLocalPort());
            // Proof that the program does what it says when nothing confines it.
            Process bare = new ProcessBuilder(bin.toString()).redirectErrorStream(true).start();
            String unconfined = new String(bare.getInputStream().readAllBytes());
            assertEquals(0, bare.waitFor());
            assertTrue(unconfined.contains("write-outside=yes") && unconfined.contains("secret=s3cr3t-of-the-host")
                    && unconfined.contains("connect=yes"), unconfined);
            Files.delete(outside);
            server.setSoTimeout(1);
            server.accept().close();

            Path archive = pack(plan(), tree("python3.11", Files.readAllBytes(bin)));
            Verifier.Result r = verify(new HostEnvironment(HostInfo.detect()), archive, false);

            Check sandbox = check(r, Verifier.SANDBOX);
            assertEquals(Check.Status.PASS, sandbox.status(), sandbox.toString());
            Check interpreter = check(r, InterpreterCheck.ID);
            assertEquals(Check.Status.PASS, interpreter.status(), interpreter.toString());
            Check version = check(r, "version");
            assertEquals(Check.Status.PASS, version.status(), "it ran, in the sandbox: " + version);

            assertFalse(Files.exists(outside), "the archive's program wrote outside its scratch directory");
            boolean connected;
            try {
                server.accept().close();
                connected = true;
            } catch (SocketTimeoutException none) {
                connected = false;
            }
            assertFalse(connected, "the archive's program reached a server on 127.0.0.1");
            String report = Files.readString(r.report());
            assertFalse(report.contains("s3cr3t"), "the archive's program read a file of the host:\n" + report);
            // What the probe printed is in the failed modules check: the program's own account of its tries.
            String said = check(r, "modules").detail();
            assertTrue(said.contains("write-outside=no") && said.contains("secret=unreadable")
                    && said.contains("connect=no") && said.contains("home=/tmp"), said);
            if (dev.pyruntime.env.Sandbox.NOBODY != 0 && "root".equals(System.getProperty("user.name"))) {
                assertTrue(said.contains("uid=" + dev.pyruntime.env.Sandbox.NOBODY), said);
            }
        }
    }

    /**
     * An interpreter that answers the probe and the extension build with what a crafted runtime could print: a NUL in
     * sysconfig's paths, an extension module that is a file of the host. Each is a failed check in a written report,
     * never a build error, and the host file is not read.
     */
    @Test
    void whatACraftedInterpreterPrintsFailsChecksInAReportAndNeverTheBuild() throws Exception {
        Path src = tmp.resolve("answers.c");
        Files.writeString(src, """
                #include <stdio.h>
                #include <string.h>
                int main(int argc, char **argv) {
                    if (argc > 1 && strcmp(argv[1], "--version") == 0) { puts("Python 3.11.2"); return 0; }
                    if (argc > 4 && strstr(argv[4], "pyruntime_ext")) {
                        puts("{\\"error\\": null, \\"module\\": \\"/etc/passwd\\", \\"INCLUDEPY\\": \\"/x\\"}");
                        return 0;
                    }
                    puts("{\\"modules\\": {}, \\"sysconfig\\": {\\"prefix\\": \\"/a\\\\u0000b\\", \\"LDVERSION\\": "
                         "\\"\\\\u0000\\"}, \\"builtin\\": [], \\"loaded\\": []}");
                    return 0;
                }
                """);
        Path bin = tmp.resolve("answers");
        Process cc = new ProcessBuilder("cc", "-o", bin.toString(), src.toString()).inheritIO().start();
        assertEquals(0, cc.waitFor(), "cc failed");
        Verifier.Result r = verify(new HostEnvironment(HostInfo.detect()), pack(plan(), tree("python3.11",
                Files.readAllBytes(bin))), false);

        assertEquals(Check.Status.PASS, check(r, "version").status());
        Check sysconfig = check(r, "sysconfig");
        assertEquals(Check.Status.FAIL, sysconfig.status());
        assertTrue(sysconfig.detail().startsWith("could not be checked, from what the archive holds or printed: "),
                sysconfig.detail());
        Check extension = check(r, "extension");
        assertEquals(Check.Status.FAIL, extension.status());
        assertTrue(extension.detail().equals("the module it names, /etc/passwd, is not a file in "
                + tmp.resolve("work/verify-ext")), extension.detail());
        assertTrue(Files.isRegularFile(r.report()));
    }

    @Test
    void withoutASandboxAnotherArchiveIsNotRunAndFailsUnlessTheUserOptsIn() throws Exception {
        Path archive = pack(plan(), tree("python3.11", Files.readAllBytes(Path.of("/bin/true"))));
        dev.pyruntime.env.RecordingEnvironment env = new dev.pyruntime.env.RecordingEnvironment(
                "a machine without a sandbox");
        Verifier.Result refused = verify(env, archive, false);
        Check sandbox = check(refused, Verifier.SANDBOX);
        assertEquals(Check.Status.FAIL, sandbox.status(), sandbox.toString());
        assertTrue(sandbox.detail().contains("its programs were not run; install bubblewrap, or, if you trust it, set "
                + "runUnconfined=true"), sandbox.detail());
        assertEquals(List.of(), env.ran, "nothing ran");
        assertEquals(Check.Status.SKIPPED, check(refused, "version").status());

        Verifier.Result allowed = verify(env, archive, true);
        assertEquals(Check.Status.SKIPPED, check(allowed, Verifier.SANDBOX).status());
        assertTrue(check(allowed, Verifier.SANDBOX).detail().contains("ran unconfined"), check(allowed, "sandbox").detail());
        assertFalse(env.ran.isEmpty(), "the user asked for it to run");
        // /bin/true prints no version: it ran and was judged.
        assertEquals(Check.Status.FAIL, check(allowed, "version").status());
        assertNotNull(check(allowed, "ldd"));

        // This build's own fresh archive ran where it was built: it runs there without a sandbox too, saying so.
        env.ran.clear();
        BuildPlan plan = plan();
        Verifier.Result own = new Verifier(new RecordingConsole(), env, null, false, Vocabulary.PLAIN)
                .verify(plan, VerifySpec.of(plan), archive, tmp.resolve("own"), true);
        Check ownSandbox = check(own, Verifier.SANDBOX);
        assertEquals(Check.Status.SKIPPED, ownSandbox.status(), ownSandbox.toString());
        assertTrue(ownSandbox.detail().endsWith("ran unconfined: this build's own archive, built in the same place"),
                ownSandbox.detail());
        assertFalse(env.ran.isEmpty(), "this build's own archive ran");
    }
}
