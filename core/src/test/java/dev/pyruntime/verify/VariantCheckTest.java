package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.PlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code variant} check against what a probe of the runtime says: a build is what its plan's configure arguments
 * make it, both ways (a free-threaded or debug plan with a default runtime fails, and a default plan with a
 * free-threaded runtime fails), and its ABI-suffixed names are where consumers look for them.
 */
class VariantCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** The recorded 3.11.2 plan, with {@code extra} configure arguments added. */
    private static BuildPlan plan(String... extra) throws Exception {
        ObjectNode plan = (ObjectNode) JSON.readTree(Path.of("src/test/resources/installed/3.11.2/plan.json").toFile());
        ArrayNode configure = (ArrayNode) plan.get("configure");
        for (String arg : extra) {
            configure.addObject().put("value", arg).put("origin", "variants.x (python.yaml:1)");
        }
        return PlanJson.read(JSON.writeValueAsString(plan));
    }

    /** What probe.py prints of a runtime built with {@code abiflags}. */
    private static JsonNode probe(String abiflags, Boolean gil, boolean refcount) {
        ObjectNode p = JSON.createObjectNode();
        p.put("abiflags", abiflags);
        if (gil == null) {
            p.putNull("gil_enabled");
        } else {
            p.put("gil_enabled", gil);
        }
        p.put("gettotalrefcount", refcount);
        ObjectNode vars = p.putObject("sysconfig");
        vars.put("LDVERSION", "3.11" + abiflags);
        vars.put("Py_GIL_DISABLED", abiflags.contains("t") ? 1 : 0);
        vars.put("Py_DEBUG", abiflags.contains("d") ? 1 : 0);
        return p;
    }

    /** The files a runtime with {@code abiflags} installs. */
    private void tree(String abiflags) throws Exception {
        String lib = "lib/python3.11" + (abiflags.contains("t") ? "t" : "");
        for (String f : List.of("bin/python3.11" + abiflags, lib + "/os.py", "lib/pkgconfig/python-3.11" + abiflags + ".pc",
                "lib/pkgconfig/python-3.11" + abiflags + "-embed.pc", "lib/libpython3.11" + abiflags + ".so")) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.writeString(root.resolve(f), "");
        }
    }

    @Test
    void aDefaultBuildIsNeitherFreeThreadedNorDebug() throws Exception {
        tree("");
        BuildPlan plan = plan();
        assertEquals("", plan.abiFlags());
        Check c = RuntimeChecks.variant(plan, probe("", true, false), root);
        assertEquals(Check.Status.PASS, c.status(), c.detail());

        Check gilOff = RuntimeChecks.variant(plan, probe("", false, false), root);
        assertEquals(Check.Status.FAIL, gilOff.status());
        assertTrue(gilOff.detail().contains("sys._is_gil_enabled() is False, in a build whose plan has no --disable-gil"),
                gilOff.detail());
    }

    @Test
    void aFreeThreadedBuildHasTheGilOffAndItsTNames() throws Exception {
        tree("t");
        BuildPlan plan = plan("--disable-gil");
        assertEquals("t", plan.abiFlags());
        assertEquals("python3.11t", plan.stdlibDir());
        assertEquals("python3.11t", plan.interpreter());
        Check c = RuntimeChecks.variant(plan, probe("t", false, false), root);
        assertEquals(Check.Status.PASS, c.status(), c.detail());
        assertTrue(c.detail().contains("bin/python3.11t, lib/python3.11t/os.py, lib/pkgconfig/python-3.11t.pc"), c.detail());

        // Claimed free-threaded, but the runtime has a GIL, and it is on.
        Check gil = RuntimeChecks.variant(plan, probe("", true, false), root);
        assertEquals(Check.Status.FAIL, gil.status());
        assertTrue(gil.detail().contains("sys.abiflags is '', the plan's configure arguments give 't'"), gil.detail());
        assertTrue(gil.detail().contains("sys._is_gil_enabled() is true after start-up"), gil.detail());
        assertTrue(gil.detail().contains("Py_GIL_DISABLED is '0', not 1"), gil.detail());
    }

    @Test
    void onlyAFreeThreadedPlanHasTheThreadsCheck() throws Exception {
        assertTrue(RuntimeChecks.ids(plan("--disable-gil")).containsAll(List.of("variant", "threads-parallel")));
        assertTrue(RuntimeChecks.ids(plan()).contains("variant"));
        assertTrue(!RuntimeChecks.ids(plan()).contains("threads-parallel"));
        assertTrue(!RuntimeChecks.ids(plan("--with-pydebug")).contains("threads-parallel"));
    }

    @Test
    void aFreeThreadedTreeWithoutItsNamesFails() throws Exception {
        tree("");
        Check c = RuntimeChecks.variant(plan("--disable-gil"), probe("t", false, false), root);
        assertEquals(Check.Status.FAIL, c.status());
        assertTrue(c.detail().contains("bin/python3.11t is missing"), c.detail());
        assertTrue(c.detail().contains("lib/libpython3.11t.so is missing"), c.detail());
    }

    /**
     * threads.py's proof, on this machine's own Python (a GIL build): however the machine is loaded, the worker never
     * runs a line while the main thread runs Python code, because the switch interval is a minute before it starts.
     */
    @Test
    void theThreadsProofSaysAGilBuildTakesTurns() throws Exception {
        Process p = new ProcessBuilder("python3", "-I", "-B", "-c",
                dev.pyruntime.Resources.text(RuntimeChecks.class, "threads.py"), "2").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        JsonNode answer = JSON.readTree(out);
        assertEquals(false, answer.get("parallel").asBoolean(), out);
        assertTrue(answer.get("waited_ms").asDouble() >= 2000, out);
    }

    @Test
    void aDebugBuildHasItsReferenceTotal() throws Exception {
        tree("td");
        BuildPlan plan = plan("--disable-gil", "--with-pydebug");
        assertEquals("td", plan.abiFlags());
        assertEquals("python3.11t", plan.stdlibDir(), "the debug flag does not name the standard library's directory");
        assertEquals(Check.Status.PASS, RuntimeChecks.variant(plan, probe("td", false, true), root).status());
        Check none = RuntimeChecks.variant(plan, probe("td", false, false), root);
        assertEquals(Check.Status.FAIL, none.status());
        assertTrue(none.detail().contains("sys.gettotalrefcount is missing"), none.detail());
    }
}
