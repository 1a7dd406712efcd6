package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.flags.RecordedFlags;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.EnvironmentFacts;
import dev.pyruntime.plan.Planner;
import dev.pyruntime.plan.TargetSelector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The module-set check: a module that links a library of its own is one the required modules import. */
class ModuleSetCheckTest {
    static final String DYNLOAD = "lib/python3.11/lib-dynload/";

    private static BuildPlan plan() throws Exception {
        Manifest catalog = ManifestLoader.load(Path.of("../manifests/python.yaml"));
        var target = TargetSelector.expand(catalog).stream().filter(t -> t.id().equals("3.11.2-debian-12-amd64"))
                .findFirst().orElseThrow();
        var facts = new EnvironmentFacts("host", "recorded debian-12", "x86_64-linux-gnu", RecordedFlags.load().get("debian-12"));
        return Planner.plan(catalog, target, List.of("quick"), facts, "/work/t/build", "test");
    }

    private static ElfFacts linking(String... needed) {
        return new ElfFacts(true, false, true, true, true, false, List.of(), List.of(), true, List.of(), List.of(needed));
    }

    @Test
    void aModuleNoRequiredModuleImportsFailsNamingItsLibraries() throws Exception {
        Map<String, ElfFacts> elves = Map.of(
                DYNLOAD + "_ssl.cpython-311-x86_64-linux-gnu.so", linking("libssl.so.3", "libcrypto.so.3", "libc.so.6"),
                DYNLOAD + "_tkinter.cpython-311-x86_64-linux-gnu.so", linking("libtk8.6.so", "libtcl8.6.so", "libc.so.6"),
                DYNLOAD + "math.cpython-311-x86_64-linux-gnu.so", linking("libm.so.6", "libc.so.6"),
                "bin/python3.11", linking("libpython3.11.so.1.0", "libc.so.6"));
        Check c = RuntimeChecks.moduleSet(plan(), new ObjectMapper().valueToTree(List.of("_ssl", "math")), elves);
        assertEquals(Check.Status.FAIL, c.status());
        assertEquals("_tkinter (links libtk8.6.so, libtcl8.6.so) is not imported by any required module: add the module "
                + "that needs it to verify.modules, or keep it out (configure py_cv_module__tkinter=n/a from 3.11, or a "
                + "cleanup rule)", c.detail());
    }

    @Test
    void passesWhenEveryLinkingModuleWasAskedFor() throws Exception {
        Map<String, ElfFacts> elves = Map.of(
                DYNLOAD + "_ssl.cpython-311-x86_64-linux-gnu.so", linking("libssl.so.3", "libcrypto.so.3", "libc.so.6"),
                DYNLOAD + "math.cpython-311-x86_64-linux-gnu.so", linking("libm.so.6", "libc.so.6"));
        Check c = RuntimeChecks.moduleSet(plan(), new ObjectMapper().valueToTree(List.of("_ssl")), elves);
        assertEquals(Check.Status.PASS, c.status(), c.detail());
        assertEquals("1 modules link libraries of their own, each imported by a required module", c.detail());
    }
}
