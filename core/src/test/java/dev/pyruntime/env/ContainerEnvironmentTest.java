package dev.pyruntime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.RecordingConsole;
import dev.pyruntime.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real engine and a real debootstrapped Debian 13 image. */
class ContainerEnvironmentTest {
    static ContainerEngine engine;

    @BeforeAll
    static void image() throws Exception {
        TestContainers.debian13();
        engine = TestContainers.engine();
    }

    private static ContainerEnvironment start(Path work, List<String> packages) throws UserError {
        return ContainerEnvironment.start(engine, TestContainers.IMAGE, "t-debian-13-amd64", "debian-13",
                HostInfo.detect().arch(), packages, List.of(work), new RecordingConsole());
    }

    private static boolean exists(String container) throws UserError {
        return engine.run(engine.command("container", "inspect", container)).ok();
    }

    /**
     * A container target's sandbox: the archive's program runs as nobody without capabilities, cannot write the tree
     * (even where its modes would let it) or anything of the work directory but its scratch directory, and what it
     * leaves running (a detached child) is ended when it returns.
     */
    @Test
    void confinedProgramsRunAsNobodyWriteOnlyTheirScratchAndLeaveNothingRunning(@TempDir Path work) throws Exception {
        Path tree = Files.createDirectories(work.resolve("verify/bin"));
        Files.setPosixFilePermissions(tree, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path scratch = Files.createDirectories(work.resolve("verify-ext"));
        try (ContainerEnvironment env = start(work, List.of())) {
            Sandbox sandbox = Sandbox.of(env);
            assertTrue(sandbox.describe().startsWith("setpriv in container "), sandbox.describe());
            ExecResult r = sandbox.confine(work.resolve("verify"), List.of(scratch)).run(List.of("sh", "-c",
                    "id -u; grep CapEff /proc/self/status; echo x > " + tree.resolve("planted") + " || echo tree-closed;"
                            + " echo x > " + work.resolve("beside") + " || echo work-closed; echo ok > made;"
                            + " setsid sleep 600 >/dev/null 2>&1 < /dev/null &"), Map.of(), scratch);
            assertEquals(List.of("65534", "CapEff:\t0000000000000000", "tree-closed", "work-closed"),
                    r.stdout().lines().toList(), r.stderr());
            assertEquals("ok\n", Files.readString(scratch.resolve("made")));
            assertFalse(Files.exists(tree.resolve("planted")) || Files.exists(work.resolve("beside")));
            // Uid and state of every process: a killed one stays a zombie (Z) until the container's first process,
            // which reaps none, ends; it runs nothing.
            String left = env.run(List.of("sh", "-c", "for p in /proc/[0-9]*; do echo $(stat -c %u $p)"
                    + " $(sed -n 's/^State:[[:space:]]*\\(.\\).*/\\1/p' $p/status); done"), Map.of(), work).stdout();
            assertTrue(left.lines().anyMatch(l -> l.equals("65534 Z")), "the detached child was killed: " + left);
            assertFalse(left.lines().anyMatch(l -> l.startsWith("65534 ") && !l.equals("65534 Z")),
                    "a process of the confined user still runs: " + left);
        }
    }

    @Test
    void stepsRunInTheDistroWithTheirVariablesInTheMountedWorkDirWithoutNetwork(@TempDir Path work) throws Exception {
        Files.writeString(work.resolve("from-host.txt"), "hello");
        try (ContainerEnvironment env = start(work, List.of())) {
            assertEquals("container", env.executor());
            assertTrue(env.describe().startsWith("container " + TestContainers.IMAGE + " (podman, image "), env.describe());
            ExecResult os = env.run(List.of("cat", "/etc/os-release"), Map.of(), work);
            assertEquals("debian-13", HostInfo.distroFromText(os.stdout()));
            ExecResult r = env.run(List.of("sh", "-c", "pwd; cat from-host.txt; echo \" $GREETING $LC_ALL\"; echo made >made.txt"),
                    Map.of("GREETING", "hi there"), work);
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals(work + "\nhello hi there C.UTF-8\n", r.stdout());
            assertEquals("made\n", Files.readString(work.resolve("made.txt")), "written in the container, seen on the host");
            assertEquals(Files.getAttribute(work, "unix:uid"), Files.getAttribute(work.resolve("made.txt"), "unix:uid"),
                    "owned by the user who owns the work directory");
            // Build steps run hermetically: only the loopback device.
            assertEquals("lo", env.run(List.of("ls", "/sys/class/net"), Map.of(), work).stdout().trim());
            // The host's environment does not leak in.
            assertFalse(env.run(List.of("env"), Map.of(), work).stdout().contains("JAVA_HOME"));
        }
    }

    @Test
    void streamWritesTheMergedOutputToTheLogAndReturnsTheExitCode(@TempDir Path work) throws Exception {
        try (ContainerEnvironment env = start(work, List.of())) {
            List<String> seen = new java.util.ArrayList<>();
            int exit = env.stream(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Map.of(), work,
                    work.resolve("logs/step.log"), seen::add);
            assertEquals(3, exit);
            assertEquals(List.of("out", "err"), seen.stream().sorted(java.util.Comparator.reverseOrder()).toList());
            assertEquals(2, Files.readAllLines(work.resolve("logs/step.log")).size());
        }
    }

    @Test
    void closingRemovesTheContainerAndWhatRunsInIt(@TempDir Path work) throws Exception {
        ContainerEnvironment env = start(work, List.of());
        String name = env.container();
        assertTrue(exists(name), name);
        env.close();
        assertFalse(exists(name), "removed: " + name);
    }

    @Test
    void ctrlCRemovesTheContainer(@TempDir Path work) throws Exception {
        // What a terminal's Ctrl-C sends: the shutdown hook removes the container before the JVM exits.
        holdThenSignal(work, "INT", 0);
    }

    @Test
    void aKilledJvmLeavesNoContainerBehind(@TempDir Path work) throws Exception {
        // What a CI job's timeout sends: no shutdown hook runs, but the container's first process sees its input end.
        holdThenSignal(work, "KILL", 60);
    }

    /**
     * Starts a JVM holding a container, sends it {@code signal} and checks that the container is gone once the JVM
     * has exited, or within {@code graceSeconds} after.
     */
    private static void holdThenSignal(Path work, String signal, int graceSeconds) throws Exception {
        // A command started in the background by a non-interactive shell (`mvn verify &`, nohup) inherits SIGINT as
        // ignored, and the JVM then keeps ignoring it: env restores the default, as a terminal's foreground job has.
        List<String> cmd = new java.util.ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path")));
        for (String p : List.of("container.engine", "container.engineArgs", "container.runArgs", "tools.dir")) {
            cmd.add("-D" + p + "=" + System.getProperty(p, ""));
        }
        cmd.addAll(List.of(HoldContainerMain.class.getName(), work.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String name = null;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            String line;
            while (name == null && (line = out.readLine()) != null) {
                if (line.startsWith("container ")) {
                    name = line.substring("container ".length());
                }
            }
            assertTrue(name != null && exists(name), "the child started a container: " + name);
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the JVM exits on SIG" + signal);
            long deadline = System.nanoTime() + graceSeconds * 1_000_000_000L;
            while (exists(name) && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertFalse(exists(name), name + " is gone after SIG" + signal + " (grace " + graceSeconds + " s)");
        } finally {
            p.destroyForcibly();
            // A failed run must not leave its container behind for the next test (or the container IT) to find.
            if (name != null && exists(name)) {
                engine.remove(name);
            }
        }
    }

    @Test
    void aProgramTheImageLacksNamesTheFix(@TempDir Path work) throws Exception {
        try (ContainerEnvironment env = start(work, List.of())) {
            UserError e = assertThrows(UserError.class, () -> env.run(List.of("gcc", "--version"), Map.of(), work));
            assertTrue(e.getMessage().contains("'gcc' is not installed in the build image"), e.getMessage());
            assertTrue(e.getMessage().contains("add the package that provides it to the distro's 'packages'"), e.getMessage());
        }
    }

    @Test
    void anImageOfAnotherDistroIsRefusedAndLeavesNoContainer(@TempDir Path work) throws Exception {
        UserError e = assertThrows(UserError.class, () -> ContainerEnvironment.start(engine, TestContainers.IMAGE,
                "t-debian-12-amd64", "debian-12", HostInfo.detect().arch(), List.of(), List.of(work), new RecordingConsole()));
        assertTrue(e.getMessage().contains("t-debian-12-amd64: the build image '" + TestContainers.IMAGE + "' is debian-13/"),
                e.getMessage());
        assertTrue(e.getMessage().contains("needs debian-12/"), e.getMessage());
        ExecResult ps = engine.run(engine.command("ps", "-a", "--format", "{{.Names}}"));
        assertFalse(ps.stdout().contains("python-runtime-t-debian-12-amd64-" + ProcessHandle.current().pid()), ps.stdout());
    }

    @Test
    void aMissingImageNamesTheTargetAndHowToGetIt() throws Exception {
        UserError e = assertThrows(UserError.class, () -> engine.requireImage("python-runtime/no-such-image", "3.13.5-debian-13-amd64"));
        assertTrue(e.getMessage().startsWith("3.13.5-debian-13-amd64: the build image 'python-runtime/no-such-image' is not on this machine"),
                e.getMessage());
        assertTrue(e.getMessage().contains("podman pull python-runtime/no-such-image"), e.getMessage());
        assertTrue(e.getMessage().contains("tools/debootstrap-image"), e.getMessage());
    }

    @Test
    void aMissingEngineSaysWhatToInstall() {
        UserError e = assertThrows(UserError.class, () -> ContainerEngine.detect(new ContainerEngine.Settings(
                "/nonexistent/podman", List.of(), List.of(), false, false), HostInfo.detect(), "3.13.5-debian-13-amd64"));
        assertTrue(e.getMessage().startsWith("3.13.5-debian-13-amd64 needs a container engine (executor: container), "
                + "and none works on this machine:"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/podman: not installed"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install podman"), e.getMessage());
    }

    @Test
    void anImageWithEveryPackageIsTaggedAsPreparedAsItIs() throws Exception {
        // coreutils is in every root: nothing to install, so the prepared tag names the same image.
        String base = engine.imageId(TestContainers.IMAGE);
        String tag = ContainerEnvironment.prepare(engine, TestContainers.IMAGE, base, "t", List.of("coreutils"),
                new RecordingConsole());
        assertTrue(tag.startsWith(ContainerEnvironment.PREPARED + ":"), tag);
        assertEquals(base, engine.imageId(tag));
    }

    @Test
    void missingBuildPackagesArePreparedOnceIntoACommittedImage(@TempDir Path work) throws Exception {
        // 'file' is not in a minbase root; the prepared image is keyed by the base image's id and the package list.
        List<String> packages = List.of("file");
        String base = engine.imageId(TestContainers.IMAGE);
        RecordingConsole console = new RecordingConsole();
        String tag = ContainerEnvironment.prepare(engine, TestContainers.IMAGE, base, "t", packages, console);
        assertTrue(tag.startsWith(ContainerEnvironment.PREPARED + ":"), tag);
        assertNotEquals(base, engine.imageId(tag));
        RecordingConsole again = new RecordingConsole();
        assertEquals(tag, ContainerEnvironment.prepare(engine, TestContainers.IMAGE, base, "t", packages, again));
        assertEquals(List.of(), again.lines(), "the second time finds the prepared image");
        try (ContainerEnvironment env = start(work, packages)) {
            assertEquals(0, env.run(List.of("file", "--version"), Map.of(), work).exitCode());
            assertTrue(env.describe().contains(engine.imageId(tag).replaceFirst("^sha256:", "").substring(0, 12)), env.describe());
        }
    }
}
