package dev.pyruntime.compile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the metadata says built a runtime: the distro's toolchain, and the compiler a plan names with CC=. */
class ToolchainTest {
    @TempDir
    Path dir;

    @Test
    void aCompilerThePlanNamesIsRecordedBesideTheDistrosGcc() throws Exception {
        HostEnvironment host = new HostEnvironment(HostInfo.detect());
        Map<String, String> plain = Toolchain.detect(host, dir, null, List.of("--enable-shared"));
        assertFalse(plain.containsKey("cc"), plain.toString());
        assertTrue(plain.get("gcc").matches("\\d+\\.\\d+\\.\\d+.*"), plain.toString());

        // This machine's cc (gcc's link): what configure ran is recorded with its own --version line.
        Map<String, String> named = Toolchain.detect(host, dir, null, List.of("--enable-shared", "CC=cc"));
        assertTrue(named.get("cc").startsWith("cc: cc (Debian "), named.toString());
        // A value that is no program name (an option) is not run.
        assertFalse(Toolchain.detect(host, dir, null, List.of("CC=-v")).containsKey("cc"));
    }
}
