package dev.pyruntime.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.UserError;
import dev.pyruntime.build.BuildPaths;
import dev.pyruntime.build.Cleanup;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ExecResult;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that run the unpacked runtime in the target's environment, with a clean environment (no LD_LIBRARY_PATH,
 * no PYTHONHOME): its version, the required modules, sysconfig against the plan, {@code ldd} on every ELF file, and,
 * for an {@code --enable-shared} build, a C program that embeds the interpreter through the shipped libpython.
 */
final class RuntimeChecks {
    /** Which sysconfig variable each of the plan's make flag variables ends up in. */
    static final Map<String, String> SYSCONFIG_OF = Map.of("EXTRA_CFLAGS", "CFLAGS", "CPPFLAGS", "CPPFLAGS", "LDFLAGS", "LDFLAGS");

    private final BuildEnvironment env;

    RuntimeChecks(BuildEnvironment env) {
        this.env = env;
    }

    List<Check> run(BuildPlan plan, VerifySpec spec, Path root, Set<String> elfFiles) throws UserError, IOException {
        List<Check> out = new ArrayList<>();
        Path python3 = root.resolve("bin/python3");
        ExecResult version = env.run(List.of(python3.toString(), "--version"), Map.of(), root);
        String said = (version.stdout() + version.stderr()).strip();
        String want = "Python " + plan.target().version();
        out.add(said.equals(want) ? Check.pass("version", "bin/python3 --version", said)
                : Check.fail("version", "bin/python3 --version", "said '" + said + "' (exit " + version.exitCode()
                + "), expected '" + want + "'"));

        List<String> cmd = new ArrayList<>(List.of(python3.toString(), "-I", "-B", "-c", probeScript()));
        cmd.addAll(spec.modules());
        ExecResult probe = env.run(cmd, Map.of(), root);
        JsonNode json = null;
        if (probe.ok()) {
            json = new ObjectMapper().readTree(probe.stdout());
        }
        if (json == null) {
            String why = "the interpreter failed (exit " + probe.exitCode() + "): " + tail(probe.stderr());
            out.add(Check.fail("modules", "required modules import", why));
            out.add(Check.fail("sysconfig", "sysconfig matches the plan", why));
            out.add(Check.fail("builtin", BUILTIN_WHAT, why));
        } else {
            out.add(modules(json.get("modules"), spec));
            out.add(sysconfig(plan, json.get("sysconfig")));
            out.add(builtin(plan, json.get("builtin")));
        }
        out.add(ldd(root, elfFiles));
        if (plan.shared()) {
            // LDVERSION is the series plus ABI flags (3.13t for a free-threaded build): the header and library names.
            String ldVersion = json == null ? "" : text(json.get("sysconfig"), "LDVERSION");
            out.add(embed(plan.target().version(), ldVersion.isEmpty() ? plan.target().series() : ldVersion, root,
                    spec.modules()));
        }
        return out;
    }

    static final String EMBED_WHAT = "a C program embeds the interpreter through the shipped libpython";

    /**
     * Compiles {@code embed.c} against the tree's headers and {@code lib/libpython<ldVersion>.so} (beside the tree, in
     * {@code verify-embed/}) and runs it with PYTHONHOME set to the tree: the interpreter must start from the library
     * and import every required module. This is what embedding applications do, and what the interpreter binary
     * (which may have libpython linked in) does not prove.
     */
    Check embed(String version, String ldVersion, Path root, List<String> modules) throws IOException {
        String library = "lib/libpython" + ldVersion + ".so";
        Path include = root.resolve("include/python" + ldVersion);
        if (!Files.isRegularFile(root.resolve(library))) {
            return Check.fail("embed", EMBED_WHAT, library + " is missing: the plan configures --enable-shared, so "
                    + "the archive must ship it for applications that embed Python");
        }
        if (!Files.isRegularFile(include.resolve("Python.h"))) {
            return Check.fail("embed", EMBED_WHAT, root.relativize(include) + "/Python.h is missing");
        }
        Path dir = root.resolveSibling(root.getFileName() + "-embed");
        Cleanup.delete(dir);
        Files.createDirectories(dir);
        Path source = dir.resolve("embed.c");
        Path program = dir.resolve("embed");
        Files.writeString(source, resource("embed.c"));
        String libDir = root.resolve("lib").toString();
        List<String> cc = List.of("cc", "-o", program.toString(), source.toString(), "-I" + include,
                "-L" + libDir, "-lpython" + ldVersion, "-Wl,-rpath," + libDir);
        try {
            ExecResult compiled = env.run(cc, Map.of(), dir);
            if (!compiled.ok()) {
                return Check.fail("embed", EMBED_WHAT, "cc could not build a program against " + library + " (exit "
                        + compiled.exitCode() + "): " + head(compiled.stdout() + compiled.stderr()));
            }
            List<String> run = new ArrayList<>(List.of(program.toString()));
            run.addAll(modules);
            ExecResult r = env.run(run, Map.of("PYTHONHOME", root.toString()), dir);
            String want = "embedded " + version + " " + root;
            if (!r.ok() || !r.stdout().strip().equals(want)) {
                return Check.fail("embed", EMBED_WHAT, "the program built against " + library + " printed '"
                        + r.stdout().strip() + "' (exit " + r.exitCode() + "), expected '" + want + "': "
                        + tail(r.stderr()));
            }
        } catch (UserError e) {
            return Check.fail("embed", EMBED_WHAT, e.getMessage());
        }
        return Check.pass("embed", EMBED_WHAT, library + " started " + version + " and imported " + modules.size()
                + " modules");
    }

    private static Check modules(JsonNode modules, VerifySpec spec) {
        List<String> problems = new ArrayList<>();
        for (String m : spec.modules()) {
            JsonNode r = modules.get(m);
            if (r == null || !r.isNull()) {
                problems.add(m + " (" + (r == null ? "not tried" : r.asText()) + ")");
            }
        }
        return Check.of("modules", "required modules import without LD_LIBRARY_PATH",
                problems.stream().map(p -> "cannot import " + p).toList(), String.join(" ", spec.modules()));
    }

    static final String BUILTIN_WHAT = "the plan's builtinModules are compiled into the interpreter";

    /** Each of the plan's built-in modules is in {@code sys.builtin_module_names}, so it never loads from lib-dynload. */
    static Check builtin(BuildPlan plan, JsonNode names) {
        Set<String> builtin = new java.util.HashSet<>();
        if (names != null) {
            names.forEach(n -> builtin.add(n.asText()));
        }
        List<String> problems = plan.builtinModules().stream().filter(f -> !builtin.contains(f.value()))
                .map(f -> f.value() + " (" + f.origin() + ") is not in sys.builtin_module_names").toList();
        return Check.of("builtin", BUILTIN_WHAT, problems, plan.builtinModules().isEmpty() ? "none asked for"
                : plan.builtinModules().size() + " modules: " + String.join(" ", plan.builtinModules().stream().map(Flag::value).toList()));
    }

    static Check sysconfig(BuildPlan plan, JsonNode vars) {
        List<String> problems = new ArrayList<>();
        String configArgs = text(vars, "CONFIG_ARGS");
        String build = "'--build=" + plan.environment().buildTriplet() + "'";
        if (!configArgs.contains(build)) {
            problems.add("CONFIG_ARGS lacks " + build);
        }
        for (Flag f : plan.configure()) {
            if (!configArgs.contains("'" + f.value() + "'")) {
                problems.add("CONFIG_ARGS lacks '" + f.value() + "'");
            }
        }
        String placeholder = BuildPaths.placeholder(plan.target().id());
        plan.flags().forEach((variable, flags) -> {
            String name = SYSCONFIG_OF.get(variable);
            if (name == null) {
                return;
            }
            // make hands the variables to sysconfig with their escaping for the shell ($ORIGIN arrives as \$ORIGIN).
            List<String> tokens = Arrays.asList(text(vars, name).replace("\\$", "$").split("\\s+"));
            for (Flag f : flags) {
                String expected = f.value().replace(plan.buildDir(), placeholder);
                if (!tokens.contains(expected)) {
                    problems.add(name + " lacks " + expected + " (" + variable + ", from " + f.origin() + ")");
                }
            }
        });
        return Check.of("sysconfig", "sysconfig has the --build triplet, the plan's configure arguments and flags",
                problems, "CONFIG_ARGS, CFLAGS, CPPFLAGS and LDFLAGS match the plan");
    }

    private Check ldd(Path root, Set<String> elfFiles) throws UserError {
        List<String> cmd = new ArrayList<>(List.of("ldd"));
        elfFiles.forEach(f -> cmd.add(root.resolve(f).toString()));
        ExecResult r = env.run(cmd, Map.of(), root);
        List<String> problems = new ArrayList<>();
        String current = "";
        for (String line : (r.stdout() + "\n" + r.stderr()).split("\n")) {
            if (!line.startsWith("\t") && line.endsWith(":")) {
                current = root.relativize(Path.of(line.substring(0, line.length() - 1))).toString();
            } else if (line.contains("not found")) {
                problems.add(current + ": " + line.strip());
            }
        }
        if (!r.ok() && problems.isEmpty()) {
            problems.add("ldd failed (exit " + r.exitCode() + "): " + tail(r.stderr()));
        }
        return Check.of("ldd", "ldd finds every library of every ELF file, without LD_LIBRARY_PATH",
                LayoutChecks.withMore(problems, 10), elfFiles.size() + " ELF files resolved");
    }

    private static String text(JsonNode vars, String name) {
        JsonNode v = vars == null ? null : vars.get(name);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** A compiler's first error explains the rest. */
    private static String head(String s) {
        String t = s.strip();
        return t.length() > 2000 ? t.substring(0, 2000) + "..." : t;
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 2000 ? "..." + t.substring(t.length() - 2000) : t;
    }

    static String probeScript() throws IOException {
        return resource("probe.py");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RuntimeChecks.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the plugin jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
