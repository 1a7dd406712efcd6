package dev.pyruntime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Package names reach dpkg-query and apt-get as root, some of them from an archive's metadata: an option in their
 * place (apt's {@code -oDPkg::Pre-Invoke::=...} runs a command) is refused before anything runs.
 */
class BuildPackagesTest {
    @Test
    void anOptionInPlaceOfAPackageNameIsRefusedBeforeAnythingRuns() {
        RecordingEnvironment env = new RecordingEnvironment("recording");
        UserError e = assertThrows(UserError.class, () -> BuildPackages.missing(env,
                List.of("libssl3", "-oDPkg::Pre-Invoke::=id>/tmp/pwned"), Path.of("/")));
        assertTrue(e.getMessage().contains("names '-oDPkg::Pre-Invoke::=id>/tmp/pwned', which is not a Debian package "
                + "name"), e.getMessage());
        assertEquals(List.of(), env.ran);
    }

    @Test
    void realNamesAreAskedAfterADoubleDash() throws Exception {
        RecordingEnvironment env = new RecordingEnvironment("recording");
        List<String> missing = BuildPackages.missing(env, List.of("dpkg", "libc6:amd64", "no-such-package-xyz"),
                Path.of("/"));
        assertEquals(List.of("no-such-package-xyz"), missing);
        List<String> query = env.ran.get(0);
        assertEquals("--", query.get(query.indexOf("dpkg") - 1), query.toString());
    }

    @Test
    void aPackageForAnotherArchIsMissingUntilThatArchsIsInstalled() throws Exception {
        // libc6 is installed for this machine's arch; for riscv64 no Debian machine of ours has it, and dpkg does
        // not even know the arch: a cross build's -dev:arch packages are asked per arch, not by name alone.
        RecordingEnvironment env = new RecordingEnvironment("recording");
        String native_ = HostInfo.detect().arch();
        assertEquals(List.of("libc6:riscv64"), BuildPackages.missing(env, List.of("libc6", "libc6:" + native_,
                "libc6:riscv64"), Path.of("/")));
        assertEquals(List.of("riscv64"), BuildPackages.newArches(env, List.of("libc6:" + native_, "libc6:riscv64",
                "dpkg"), Path.of("/")));
        // Without installBuildPackages, the error gives the commands that add the arch first.
        dev.pyruntime.RecordingConsole console = new dev.pyruntime.RecordingConsole();
        UserError e = assertThrows(UserError.class, () -> BuildPackages.ensure(env, "debian-12",
                List.of("libc6", "libc6:riscv64"), false, Path.of("/"), console));
        assertTrue(e.getMessage().contains("dpkg --add-architecture riscv64 && apt-get update && apt-get install -y "
                + "--no-install-recommends libc6:riscv64"), e.getMessage());
    }
}
