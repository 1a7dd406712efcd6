package dev.pyruntime.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The build-only rules mean the same to Java (verify) and to Python's re (relocate.py, which applies them). */
class BuildOnlyFlagsTest {
    static final String PLACEHOLDER = BuildPaths.placeholder("3.11.2-debian-12-amd64");

    /** Each token with whether it only made sense for the runtime's own build. */
    static final Map<String, Boolean> TOKENS = new TreeMap<>(Map.ofEntries(
            Map.entry("-Wl,-rpath,\\$ORIGIN/../lib", true),
            Map.entry("-Wl,-rpath,$ORIGIN/../lib", true),
            Map.entry("-Wl,-rpath=/opt/x", true),
            Map.entry("-Wl,--strip-all", true),
            Map.entry("-Wl,-s", true),
            Map.entry("-s", false),
            Map.entry("-ffile-prefix-map=" + PLACEHOLDER + "=.", true),
            Map.entry("-fdebug-prefix-map=" + PLACEHOLDER + "=/usr/src", true),
            // Kept: hardening consumers should inherit, and another directory's map (not ours to drop).
            Map.entry("-ffile-prefix-map=/home/me/src=.", false),
            Map.entry("-ffile-prefix-map=" + PLACEHOLDER + "x=.", false),
            Map.entry("-Wl,-z,relro", false),
            Map.entry("-Wl,-z,now", false),
            Map.entry("-fstack-protector-strong", false),
            Map.entry("-D_FORTIFY_SOURCE=2", false),
            Map.entry("-shared", false),
            Map.entry("-Wl,--as-needed", false),
            Map.entry("-sa", false)));

    @Test
    void javaAndPythonAgreeOnEveryToken() throws Exception {
        List<String> rules = BuildOnlyFlags.regexes(PLACEHOLDER);
        Map<String, Boolean> java = new TreeMap<>();
        TOKENS.keySet().forEach(t -> java.put(t, BuildOnlyFlags.matches(rules, t)));
        assertEquals(TOKENS, java, "Java");

        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-I", "-c", "import json, re, sys; rules, tokens = "
                + "json.loads(sys.argv[1]), json.loads(sys.argv[2]); print(json.dumps({t: any(re.fullmatch(r, "
                + "t.replace('\\\\$', '$')) for r in rules) for t in tokens}))"));
        ObjectMapper json = new ObjectMapper();
        cmd.add(json.writeValueAsString(rules));
        cmd.add(json.writeValueAsString(new ArrayList<>(TOKENS.keySet())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals(TOKENS, new TreeMap<>(json.readValue(out, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Boolean>>() { })),
                "Python");
    }
}
