package dev.pyruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.RecordingConsole;
import dev.pyruntime.env.ContainerEngine;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.env.Unavailable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container target on a machine whose engine does not work: skipped when all targets run, an error when named. */
class ResolveFlagsContainerTest {
    private static final ContainerEngine.Settings NO_ENGINE = new ContainerEngine.Settings("/nonexistent/podman",
            List.of(), List.of(), false, false);

    private static ResolveFlags.Request request(Path dir, String targets) throws Exception {
        Path manifest = dir.resolve("python.yaml");
        Files.writeString(manifest, String.join("\n",
                "schema: 1",
                "source: { url: \"https://example.invalid/{version}/{file}\" }",
                "distros:",
                "  debian-13: { executor: container, image: python-runtime/debian-13-build }",
                "arches: [ amd64 ]",
                "versions:",
                "  - { version: 3.13.5, file: Python-3.13.5.tar.xz, sha256: " + "b".repeat(64) + " }",
                ""));
        return new ResolveFlags.Request(manifest, targets, null, dir.resolve("out"), "test");
    }

    @Test
    void everyTargetSelectedSkipsItWithTheReason(@TempDir Path dir) throws Exception {
        RecordingConsole console = new RecordingConsole();
        List<BuildPlan> plans = new ResolveFlags(console, new HostInfo("debian-12", "amd64"), NO_ENGINE)
                .run(request(dir, null));
        assertEquals(List.of(), plans);
        String line = console.lines().stream().filter(l -> l.contains("3.13.5-debian-13-amd64")).findFirst().orElseThrow();
        assertTrue(line.matches("INFO\\s+3\\.13\\.5-debian-13-amd64\\s+skipped\\s+needs a container engine \\(executor: "
                + "container\\), and none works on this machine: /nonexistent/podman: not installed Install one.*"), line);
        assertTrue(console.lines().contains("INFO Targets: 0 planned, 1 skipped, 0 excluded"), console.lines().toString());
    }

    @Test
    void aNamedTargetFailsSayingWhatToInstall(@TempDir Path dir) throws Exception {
        Unavailable e = assertThrows(Unavailable.class, () -> new ResolveFlags(new RecordingConsole(),
                new HostInfo("debian-12", "amd64"), NO_ENGINE).run(request(dir, "*-debian-13-*")));
        assertTrue(e.getMessage().startsWith("3.13.5-debian-13-amd64 needs a container engine"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install podman"), e.getMessage());
        assertEquals(false, Files.exists(dir.resolve("out/3.13.5-debian-13-amd64/plan.json")));
    }

    @Test
    void anEmptySelectionPlansNothingAndSaysWhatAValidOneLooksLike(@TempDir Path dir) throws Exception {
        RecordingConsole console = new RecordingConsole();
        dev.pyruntime.UserError e = assertThrows(dev.pyruntime.UserError.class, () -> new ResolveFlags(console,
                new HostInfo("debian-12", "amd64"), NO_ENGINE).run(request(dir, "")));
        assertTrue(e.getMessage().contains("such as targets=3.13.*-debian-12-amd64"), e.getMessage());
        assertTrue(console.lines().stream().noneMatch(l -> l.contains("3.13.5-debian-13-amd64")), console.lines().toString());
        assertEquals(false, Files.exists(dir.resolve("out")));
    }

    @Test
    void anOutputDirectoryThatIsAFileIsRefusedNamingTheSetting(@TempDir Path dir) throws Exception {
        ResolveFlags.Request r = request(dir, null);
        Files.writeString(r.outputDirectory(), "a file");
        dev.pyruntime.UserError e = assertThrows(dev.pyruntime.UserError.class, () -> new ResolveFlags(
                new RecordingConsole(), new HostInfo("debian-12", "amd64"), NO_ENGINE).run(r));
        assertTrue(e.getMessage().startsWith("the outputDirectory setting: " + r.outputDirectory() + " cannot be a "
                + "directory: it is a file"), e.getMessage());
    }
}
