package dev.pyruntime.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real container engine and Debian 13 image the container tests run against. The image is made the way a user
 * makes it, with tools/debootstrap-image (debootstrap from this machine's apt archive, then import), once per machine.
 */
final class TestContainers {
    static final String IMAGE = "python-runtime/debian-13-build";

    private TestContainers() {
    }

    /** The engine settings for this machine: system properties set by the build (see the parent POM). */
    static ContainerEngine.Settings settings() {
        return new ContainerEngine.Settings(System.getProperty("container.engine", "podman"),
                ContainerEngine.Settings.split(System.getProperty("container.engineArgs", "")),
                ContainerEngine.Settings.split(System.getProperty("container.runArgs", "")), false, false);
    }

    static ContainerEngine engine() throws Exception {
        return ContainerEngine.detect(settings(), HostInfo.detect(), "test");
    }

    /** Makes the Debian 13 image unless the engine has it. */
    static synchronized void debian13() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("tools.dir", "../tools")).resolve("debootstrap-image").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "trixie", IMAGE, settings().engine()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PYTHON_RUNTIME_ENGINE_ARGS", String.join(" ", settings().engineArgs()));
        Path log = Files.createTempFile("debootstrap-image", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " failed:\n" + Files.readString(log));
        }
    }
}
