package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.flags.RecordedFlags;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.EnvironmentFacts;
import dev.pyruntime.plan.Planner;
import dev.pyruntime.plan.TargetSelector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builtin check against the catalog's 3.11.2 plan and what an interpreter's sys.builtin_module_names says. */
class BuiltinCheckTest {
    private static BuildPlan plan(List<String> profiles) throws Exception {
        Manifest catalog = ManifestLoader.load(Path.of("../manifests/python.yaml"));
        var target = TargetSelector.expand(catalog).stream().filter(t -> t.id().equals("3.11.2-debian-12-amd64"))
                .findFirst().orElseThrow();
        var facts = new EnvironmentFacts("host", "recorded debian-12", "x86_64-linux-gnu", RecordedFlags.load().get("debian-12"));
        return Planner.plan(catalog, target, profiles, facts, "/work/t/build", "test");
    }

    private static com.fasterxml.jackson.databind.JsonNode names(List<String> names) {
        return new ObjectMapper().valueToTree(names);
    }

    @Test
    void passesWhenEveryPlannedModuleIsCompiledIn() throws Exception {
        BuildPlan plan = plan(List.of());
        List<String> builtin = new ArrayList<>(List.of("builtins", "sys", "_sre"));
        plan.builtinModules().forEach(f -> builtin.add(f.value()));
        Check c = RuntimeChecks.builtin(plan, names(builtin));
        assertEquals(Check.Status.PASS, c.status(), c.detail());
        assertTrue(c.detail().startsWith(plan.builtinModules().size() + " modules: array _bisect _csv "), c.detail());
    }

    @Test
    void namesEachModuleThatStillLoadsFromLibDynload() throws Exception {
        BuildPlan plan = plan(List.of());
        List<String> builtin = new ArrayList<>();
        plan.builtinModules().forEach(f -> builtin.add(f.value()));
        builtin.remove("_json");
        Check c = RuntimeChecks.builtin(plan, names(builtin));
        assertEquals(Check.Status.FAIL, c.status());
        String origin = plan.builtinModules().stream().filter(f -> f.value().equals("_json")).findFirst().orElseThrow().origin();
        assertEquals("_json (" + origin + ") is not in sys.builtin_module_names", c.detail());
    }

    @Test
    void aPlanWithoutBuiltinModulesPasses() throws Exception {
        Check c = RuntimeChecks.builtin(plan(List.of("recipe")), names(List.of("sys")));
        assertEquals(Check.Status.PASS, c.status());
        assertEquals("none asked for", c.detail());
    }
}
