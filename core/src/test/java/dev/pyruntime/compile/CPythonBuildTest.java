package dev.pyruntime.compile;

import dev.pyruntime.env.BuildPackages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.env.ExecResult;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CPythonBuildTest {

    /** What make and the recipe shell do to a command-line value: the rpath must arrive as $ORIGIN/../lib. */
    @Test
    void rpathSurvivesMakeAndTheRecipeShell(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Makefile"), "all:\n\t@printf '%s\\n' $(LDFLAGS)\n");
        String escaped = CPythonBuild.escapeForMake("-Wl,-z,relro -Wl,-rpath,$ORIGIN/../lib");
        assertEquals("-Wl,-z,relro -Wl,-rpath,\\$$ORIGIN/../lib", escaped);
        HostEnvironment host = new HostEnvironment(HostInfo.detect());
        ExecResult r = host.run(List.of("make", "-s", "LDFLAGS=" + escaped), Map.of(), dir);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(List.of("-Wl,-z,relro", "-Wl,-rpath,$ORIGIN/../lib"), r.stdout().lines().toList());
    }

    @Test
    void upToDateOnlyWithTheSameFingerprintATreeAndItsBuildInfo(@TempDir Path work) throws Exception {
        assertFalse(UpToDate.check(work, "abc"));
        UpToDate.mark(work, "abc");
        assertFalse(UpToDate.check(work, "abc"), "no staging tree yet");
        Files.createDirectories(CPythonBuild.staging(work));
        assertFalse(UpToDate.check(work, "abc"), "no build-info.json yet");
        new BuildInfo(1_675_000_000L, Map.of("gcc", "12.2.0"), null).write(work);
        assertEquals(new BuildInfo(1_675_000_000L, Map.of("gcc", "12.2.0"), null), BuildInfo.read(work));
        assertTrue(UpToDate.check(work, "abc"));
        assertFalse(UpToDate.check(work, "abd"));
        UpToDate.invalidate(work);
        assertFalse(UpToDate.check(work, "abc"));
    }

    @Test
    void aBuildFromAnUncheckedSourceIsUpToDateOnlyForRunsThatSkipSignaturesToo(@TempDir Path work) throws Exception {
        Files.createDirectories(CPythonBuild.staging(work));
        new BuildInfo(1_675_000_000L, Map.of(), null).write(work);
        UpToDate.mark(work, "abc", true);
        assertTrue(UpToDate.builtUnchecked(work, "abc"));
        assertTrue(UpToDate.check(work, "abc", true));
        assertFalse(UpToDate.check(work, "abc", false), "a run that checks signatures builds it again");
        assertFalse(UpToDate.check(work, "abc"));
        UpToDate.mark(work, "abc", false);
        assertFalse(UpToDate.builtUnchecked(work, "abc"));
        assertTrue(UpToDate.check(work, "abc", true) && UpToDate.check(work, "abc", false));
    }

    @Test
    void findsMissingBuildPackagesWithRealDpkg(@TempDir Path dir) throws Exception {
        HostEnvironment host = new HostEnvironment(HostInfo.detect());
        assertEquals(List.of("no-such-package-pyruntime"),
                BuildPackages.missing(host, List.of("dpkg", "no-such-package-pyruntime"), dir));
        dev.pyruntime.UserError e = org.junit.jupiter.api.Assertions.assertThrows(dev.pyruntime.UserError.class, () ->
                BuildPackages.ensure(host, "debian-12", List.of("dpkg", "no-such-package-pyruntime"), false, dir, new dev.pyruntime.RecordingConsole()));
        assertTrue(e.getMessage().contains("apt-get install -y --no-install-recommends no-such-package-pyruntime"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("or run with installBuildPackages=true as root."), e.getMessage());
    }
}
