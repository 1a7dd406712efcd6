package dev.pyruntime.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.UserError;
import dev.pyruntime.compile.BuildOnlyFlags;
import dev.pyruntime.compile.BuildPaths;
import dev.pyruntime.compile.Cleanup;
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
 * no PYTHONHOME): its version, the required modules, sysconfig against the plan and the tree, {@code ldd} on every
 * ELF file, a C extension built from its sysconfig, and, for an {@code --enable-shared} build, a C program that
 * embeds the interpreter through the shipped libpython, built from pkg-config.
 */
final class RuntimeChecks {
    static final String VARIANT = "variant";
    static final String VARIANT_WHAT = "the runtime is the build its plan says (sys.abiflags; free-threaded: the GIL "
            + "off at start-up, Py_GIL_DISABLED, the t-suffixed names; debug: sys.gettotalrefcount, Py_DEBUG)";
    static final String THREADS = "threads-parallel";
    static final String THREADS_WHAT = "a free-threaded runtime runs two threads' Python code at the same time";

    /**
     * The ids of the checks {@link #run} reports, in their order ({@code threads-parallel} only for a free-threaded
     * build, {@code embed} only for a shared libpython).
     */
    static final List<String> IDS = List.of("version", "modules", "sysconfig", "builtin", VARIANT, THREADS,
            "module-set", "ldd", "extension", "embed");

    /** The ids {@link #run} reports for {@code plan}. */
    static List<String> ids(BuildPlan plan) {
        return IDS.stream().filter(id -> plan.shared() || !id.equals("embed"))
                .filter(id -> plan.abiFlags().contains("t") || !id.equals(THREADS)).toList();
    }


    /** Which sysconfig variable each of the plan's make flag variables ends up in. */
    static final Map<String, String> SYSCONFIG_OF = Map.of("EXTRA_CFLAGS", "CFLAGS", "CPPFLAGS", "CPPFLAGS", "LDFLAGS", "LDFLAGS");

    /** Gives the environment a check runs the tree's programs in: {@code readOnly} to read, {@code writable} to write. */
    @FunctionalInterface
    interface Confiner {
        BuildEnvironment within(Path readOnly, List<Path> writable) throws IOException;
    }

    private final BuildEnvironment env;
    private final Confiner confiner;

    /** Runs the tree's programs in {@code env} as they are: for tests of the checks' own logic. */
    RuntimeChecks(BuildEnvironment env) {
        this(env, (readOnly, writable) -> env);
    }

    /** @param confiner how the tree's programs are confined in {@code env} */
    RuntimeChecks(BuildEnvironment env, Confiner confiner) {
        this.env = env;
        this.confiner = confiner;
    }

    /** Where the tree's programs run for a check that writes to {@code writable} only. */
    private BuildEnvironment in(Path root, Path... writable) throws IOException {
        return confiner.within(root, List.of(writable));
    }

    List<Check> run(BuildPlan plan, VerifySpec spec, Path root, Map<String, ElfFacts> elves) throws UserError, IOException {
        Set<String> elfFiles = elves.keySet();
        List<Check> out = new ArrayList<>();
        Path python3 = root.resolve("bin/python3");
        BuildEnvironment confined = in(root);
        ExecResult version = confined.run(List.of(python3.toString(), "--version"), Map.of(), root);
        String said = (version.stdout() + version.stderr()).strip();
        String want = "Python " + plan.target().version();
        out.add(said.equals(want) ? Check.pass("version", "bin/python3 --version", said)
                : Check.fail("version", "bin/python3 --version", "said '" + tail(said) + "' (exit " + version.exitCode()
                + ")" + timedOut(version) + ", expected '" + want + "'"));

        List<String> cmd = new ArrayList<>(List.of(python3.toString(), "-I", "-B", "-c", probeScript()));
        cmd.addAll(spec.modules());
        ExecResult probe = confined.run(cmd, Map.of(), root);
        JsonNode json = probe.ok() ? probed(probe.stdout()) : null;
        if (json == null) {
            String why = (probe.ok() ? "the interpreter printed no probe answer: " + tail(probe.stdout() + "\n"
                    + probe.stderr()) : "the interpreter failed (exit " + probe.exitCode() + "): " + tail(probe.stderr()))
                    + timedOut(probe);
            out.add(Check.fail("modules", "required modules import", why));
            out.add(Check.fail("sysconfig", "sysconfig matches the plan", why));
            out.add(Check.fail("builtin", BUILTIN_WHAT, why));
            out.add(Check.fail(VARIANT, VARIANT_WHAT, why));
        } else {
            out.add(guarded("modules", "required modules import", () -> modules(json.get("modules"), spec)));
            out.add(guarded("sysconfig", SYSCONFIG_WHAT, () -> sysconfig(plan, json.get("sysconfig"), root)));
            out.add(guarded("builtin", BUILTIN_WHAT, () -> builtin(plan, json.get("builtin"))));
            out.add(guarded(VARIANT, VARIANT_WHAT, () -> variant(plan, json, root)));
        }
        if (plan.abiFlags().contains("t")) {
            out.add(guarded(THREADS, THREADS_WHAT, () -> threads(python3, root)));
        }
        out.add(guarded("module-set", MODULE_SET_WHAT, () -> moduleSet(plan, json == null ? null : json.get("loaded"),
                elves)));
        out.add(guarded("ldd", LDD_WHAT, () -> ldd(root, elfFiles)));
        out.add(guarded("extension", EXTENSION_WHAT, () -> extension(python3, root, plan.abiFlags().contains("t"))));
        if (plan.shared()) {
            // LDVERSION is the series plus ABI flags (3.13t for a free-threaded build): the library's name.
            out.add(guarded("embed", EMBED_WHAT, () -> {
                String ldVersion = json == null ? "" : text(json.get("sysconfig"), "LDVERSION");
                return embed(plan.target().version(), plan.target().series(),
                        ldVersion.isEmpty() ? plan.target().series() : ldVersion, root, spec.modules());
            }));
        }
        return out;
    }

    /**
     * What the probe found against what the plan's configure arguments make ({@link BuildPlan#abiFlags()}): the ABI
     * flags; a free-threaded build's GIL off after start-up, {@code Py_GIL_DISABLED} and its names (the interpreter
     * {@code python3.Xt}, the standard library in {@code lib/python3.Xt}, {@code python-3.Xt.pc}); a debug build's
     * {@code sys.gettotalrefcount} and {@code Py_DEBUG}. And the same the other way: a default build has none of them.
     */
    static Check variant(BuildPlan plan, JsonNode probe, Path root) {
        String want = plan.abiFlags();
        String have = text(probe, "abiflags");
        JsonNode vars = probe.get("sysconfig");
        List<String> problems = new ArrayList<>();
        if (!probe.has("abiflags")) {
            return Check.fail(VARIANT, VARIANT_WHAT, "the probe printed no sys.abiflags");
        }
        if (!have.equals(want)) {
            problems.add("sys.abiflags is '" + dev.pyruntime.Chars.shown(have) + "', the plan's configure arguments give '"
                    + want + "'");
        }
        boolean freeThreaded = want.contains("t");
        JsonNode gil = probe.get("gil_enabled");
        String gilDisabled = text(vars, "Py_GIL_DISABLED");
        List<String> found = new ArrayList<>(List.of("sys.abiflags '" + dev.pyruntime.Chars.shown(have) + "'"));
        if (freeThreaded) {
            if (gil == null || !gil.isBoolean() || gil.asBoolean()) {
                problems.add("sys._is_gil_enabled() is " + (gil == null || gil.isNull() ? "missing" : gil.asText())
                        + " after start-up, where a free-threaded runtime runs without the GIL (a module imported at "
                        + "start-up, such as one a .pth file or sitecustomize imports, can turn it on)");
            }
            String turnedOn = text(probe, "gil_turned_on_by");
            if (!turnedOn.isEmpty()) {
                problems.add("importing " + dev.pyruntime.Chars.shown(turnedOn) + " turned the GIL on: an extension "
                        + "module of the runtime does not declare that it runs without the GIL (Py_mod_gil)");
            }
            if (!gilDisabled.equals("1")) {
                problems.add("sysconfig's Py_GIL_DISABLED is '" + dev.pyruntime.Chars.shown(gilDisabled)
                        + "', not 1: extension builds would not target the free-threaded ABI");
            }
            found.add("GIL off at start-up, Py_GIL_DISABLED 1");
        } else {
            if (gil != null && gil.isBoolean() && !gil.asBoolean()) {
                problems.add("sys._is_gil_enabled() is False, in a build whose plan has no " + BuildPlan.DISABLE_GIL);
            }
            if (gilDisabled.equals("1")) {
                problems.add("sysconfig's Py_GIL_DISABLED is 1, in a build whose plan has no " + BuildPlan.DISABLE_GIL);
            }
        }
        boolean debug = want.contains("d");
        boolean refcount = probe.path("gettotalrefcount").asBoolean(false);
        if (debug != refcount) {
            problems.add(debug ? "sys.gettotalrefcount is missing: not a debug build (Py_REF_DEBUG), though the plan "
                    + "has " + BuildPlan.WITH_PYDEBUG : "sys.gettotalrefcount exists: a debug build, though the plan has no "
                    + BuildPlan.WITH_PYDEBUG);
        }
        if (debug != text(vars, "Py_DEBUG").equals("1")) {
            problems.add("sysconfig's Py_DEBUG is '" + dev.pyruntime.Chars.shown(text(vars, "Py_DEBUG")) + "'"
                    + (debug ? ", not 1" : ", in a build whose plan has no " + BuildPlan.WITH_PYDEBUG));
        }
        if (debug) {
            found.add("sys.gettotalrefcount, Py_DEBUG 1");
        }
        // The names the ABI flags give, where consumers look for them (a default build's are the layout's and the
        // embed check's: its cleanup may leave pkg-config files out).
        String ldVersion = plan.target().series() + want;
        List<String> names = new ArrayList<>(List.of("bin/" + plan.interpreter(), "lib/" + plan.stdlibDir() + "/os.py"));
        if (!want.isEmpty()) {
            names.add("lib/pkgconfig/python-" + ldVersion + ".pc");
            names.add("lib/pkgconfig/python-" + ldVersion + "-embed.pc");
            if (plan.shared()) {
                names.add("lib/libpython" + ldVersion + ".so");
            }
        }
        for (String name : names) {
            if (!Files.exists(root.resolve(name))) {
                problems.add(name + " is missing");
            }
        }
        if (!text(vars, "LDVERSION").equals(ldVersion)) {
            problems.add("sysconfig's LDVERSION is '" + dev.pyruntime.Chars.shown(text(vars, "LDVERSION")) + "', not "
                    + ldVersion);
        }
        found.add(String.join(", ", names));
        return Check.of(VARIANT, VARIANT_WHAT, problems, String.join("; ", found));
    }

    /**
     * {@code threads.py} in the sandbox: a worker thread runs a line of Python while the main thread holds the
     * interpreter in a Python loop, with a switch interval of a minute (no timing decides it); and, for the report
     * only, the speed-up of two threads over one on a CPU loop.
     */
    Check threads(Path python3, Path root) throws UserError, IOException {
        ExecResult r = in(root).run(List.of(python3.toString(), "-I", "-B", "-c", resource("threads.py")), Map.of(),
                root);
        JsonNode out = r.ok() ? json(r.stdout()) : null;
        if (out == null || !out.has("parallel")) {
            return Check.fail(THREADS, THREADS_WHAT, (r.ok() ? "the interpreter printed no answer: "
                    + tail(r.stdout() + "\n" + r.stderr()) : "the interpreter failed (exit " + r.exitCode() + "): "
                    + tail(r.stderr())) + timedOut(r));
        }
        String measured = "two threads of a CPU loop took 1/" + out.path("speedup").asText() + " of the time one thread "
                + "took for both (measured, not checked)";
        if (!out.get("parallel").asBoolean(false)) {
            return Check.fail(THREADS, THREADS_WHAT, "a worker thread could not run a line of Python in "
                    + out.path("waited_ms").asText() + " ms while the main thread ran Python code: the threads take turns "
                    + "(a GIL; sys._is_gil_enabled() " + out.path("gil_enabled").asText() + "); " + measured);
        }
        return Check.pass(THREADS, THREADS_WHAT, "a worker ran Python code while the main thread did, after "
                + out.path("waited_ms").asText() + " ms; " + measured);
    }

    /** One check's work, which may throw what the archive's content makes it throw. */
    @FunctionalInterface
    interface CheckCall {
        Check call() throws UserError, IOException;
    }

    /**
     * The check's verdict, or a failure of it when what the archive holds or printed made it throw (a NUL in a path
     * sysconfig names, an ldd line that names no file of the tree, ...): reported, never a build error.
     */
    static Check guarded(String id, String what, CheckCall call) {
        try {
            return call.call();
        } catch (UserError | IOException | RuntimeException e) {
            return Check.fail(id, what, "could not be checked, from what the archive holds or printed: "
                    + dev.pyruntime.Chars.shown(head(String.valueOf(e.getMessage()))));
        }
    }

    /**
     * The run-image check (see {@code Verifier}): in this environment, the run image with {@code packages} installed,
     * {@code bin/python3} says the target's version, every required module imports and {@code ldd} finds every
     * library.
     */
    Check inRunImage(BuildPlan plan, VerifySpec spec, Path root, Set<String> elfFiles, List<String> packages)
            throws UserError, IOException {
        List<String> problems = new ArrayList<>();
        BuildEnvironment confined = in(root);
        ExecResult version = confined.run(List.of(root.resolve("bin/python3").toString(), "--version"), Map.of(), root);
        String said = (version.stdout() + version.stderr()).strip();
        if (!said.equals("Python " + plan.target().version())) {
            problems.add("bin/python3 --version said '" + said + "' (exit " + version.exitCode() + ")");
        }
        List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/python3").toString(), "-I", "-B", "-c", probeScript()));
        cmd.addAll(spec.modules());
        ExecResult probe = confined.run(cmd, Map.of(), root);
        JsonNode probed = probe.ok() ? probed(probe.stdout()) : null;
        if (probed != null && probed.get("modules") != null) {
            JsonNode modules = probed.get("modules");
            spec.modules().stream().filter(m -> modules.get(m) == null || !modules.get(m).isNull())
                    .forEach(m -> problems.add("cannot import " + m + " (" + (modules.get(m) == null ? "not tried"
                            : modules.get(m).asText()) + ")"));
        } else if (version.ok()) {
            problems.add("the probe failed (exit " + probe.exitCode() + "): " + tail(probe.stderr() + probe.stdout()));
        }
        Check ldd = guarded("ldd", LDD_WHAT, () -> ldd(root, elfFiles));
        if (ldd.failed()) {
            problems.add("ldd: " + ldd.detail());
        }
        return Check.of("run-image", Verifier.RUN_IMAGE_WHAT, problems, env.describe() + " with " + packages.size()
                + " packages (" + String.join(" ", packages) + "): " + plan.target().version() + ", "
                + spec.modules().size() + " modules import, ldd finds every library");
    }

    static final String EXTENSION_WHAT = "a C extension builds from the runtime's own sysconfig, as build backends do, and imports";

    /**
     * Builds {@code pyruntime_ext.c} (beside the tree, in {@code verify-ext/}) with {@code extension.py}, run by the
     * unpacked interpreter: CC, CFLAGS, CCSHARED, INCLUDEPY and LDSHARED come from its sysconfig, as setuptools'
     * build_ext takes them. The module must import, and must carry no rpath or runpath (what our own build linked with).
     */
    Check extension(Path python3, Path root, boolean freeThreaded) throws IOException {
        Path dir = root.resolveSibling(root.getFileName() + "-ext");
        Cleanup.delete(dir);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pyruntime_ext.c"), resource("pyruntime_ext.c"));
        ExecResult r;
        try {
            r = in(root, dir).run(List.of(python3.toString(), "-I", "-B", "-c", resource("extension.py"), dir.toString()),
                    Map.of(), dir);
        } catch (UserError e) {
            return Check.fail("extension", EXTENSION_WHAT, e.getMessage());
        }
        JsonNode out = r.ok() ? json(r.stdout()) : null;
        if (out == null || !out.has("error") || !out.has("module") || !out.has("INCLUDEPY")) {
            return Check.fail("extension", EXTENSION_WHAT, (r.ok() ? "the interpreter printed no answer: "
                    + tail(r.stdout() + "\n" + r.stderr()) : "the interpreter failed (exit " + r.exitCode() + "): "
                    + tail(r.stderr())) + timedOut(r));
        }
        if (!out.get("error").isNull()) {
            return Check.fail("extension", EXTENSION_WHAT, out.get("error").asText() + " (compile: "
                    + String.join(" ", strings(out.get("compile"))) + ")");
        }
        Path module = Path.of(out.get("module").asText()).toAbsolutePath().normalize();
        if (!module.startsWith(dir.toAbsolutePath().normalize())
                || !Files.isRegularFile(module, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || !module.toRealPath().startsWith(dir.toRealPath())) {
            return Check.fail("extension", EXTENSION_WHAT, "the module it names, " + dev.pyruntime.Chars.shown(
                    module.toString()) + ", is not a file in " + dir);
        }
        List<String> problems = new ArrayList<>();
        ElfFacts elf;
        try {
            elf = ElfFacts.read(module);
        } catch (IOException e) {
            return Check.fail("extension", EXTENSION_WHAT, e.getMessage());
        }
        if (!elf.runpath().isEmpty() || !elf.rpath().isEmpty()) {
            problems.add(dir.relativize(module) + " was linked with RUNPATH " + elf.runpath() + " RPATH " + elf.rpath()
                    + ": LDSHARED still carries the runtime's own rpath");
        }
        if (freeThreaded && !out.path("gil_before").asBoolean(true) && out.path("gil_enabled").asBoolean(true)) {
            problems.add("importing it turned the GIL on, though it declares Py_MOD_GIL_NOT_USED when built for a "
                    + "free-threaded runtime (Py_GIL_DISABLED): the headers it was built with do not say the runtime "
                    + "is free-threaded");
        } else if (freeThreaded && out.path("gil_before").asBoolean(true)) {
            problems.add("the GIL was already on before the module was imported (" + out.path("gil_before").asText()
                    + "), so whether the extension keeps it off could not be seen");
        }
        String include = out.get("INCLUDEPY").asText();
        if (!Path.of(include).startsWith(root)) {
            problems.add("INCLUDEPY is " + include + ", outside the tree " + root);
        }
        return Check.of("extension", EXTENSION_WHAT, problems, module.getFileName() + " built with -I" + include
                + " and imported; no rpath" + (freeThreaded ? "; the GIL stays off" : ""));
    }

    static final String EMBED_WHAT = "a C program built from pkg-config's python-X.Y-embed embeds the shipped libpython";

    /**
     * Compiles {@code embed.c} (beside the tree, in {@code verify-embed/}) with what
     * {@code pkg-config --cflags --libs python-<series>-embed} says, the tree's {@code lib/pkgconfig} on
     * PKG_CONFIG_PATH, and runs it with PYTHONHOME set to the tree: the interpreter must start from the shared library
     * and import every required module. This is what embedding applications do, and what the interpreter binary
     * (which may have libpython linked in) does not prove.
     */
    Check embed(String version, String series, String ldVersion, Path root, List<String> modules) throws IOException {
        // python-X.Y-embed.pc is there for every build (a link to python-X.Yt-embed.pc where LDVERSION differs).
        String pc = "python-" + series + "-embed";
        String library = "lib/libpython" + ldVersion + ".so";
        if (!Files.exists(root.resolve(library))) {
            return Check.fail("embed", EMBED_WHAT, library + " is missing: the plan configures --enable-shared, so "
                    + "the archive must ship it for applications that embed Python");
        }
        if (!Files.exists(root.resolve("lib/pkgconfig/" + pc + ".pc"))) {
            return Check.fail("embed", EMBED_WHAT, "lib/pkgconfig/" + pc + ".pc is missing");
        }
        Path dir = root.resolveSibling(root.getFileName() + "-embed");
        Cleanup.delete(dir);
        Files.createDirectories(dir);
        Path source = dir.resolve("embed.c");
        Path program = dir.resolve("embed");
        Files.writeString(source, resource("embed.c"));
        Map<String, String> pkgEnv = Map.of("PKG_CONFIG_PATH", root.resolve("lib/pkgconfig").toString());
        BuildEnvironment env = in(root, dir);
        try {
            ExecResult flags = env.run(List.of("pkg-config", "--cflags", "--libs", pc), pkgEnv, dir);
            ExecResult libdir = env.run(List.of("pkg-config", "--variable=libdir", pc), pkgEnv, dir);
            if (!flags.ok() || !libdir.ok()) {
                return Check.fail("embed", EMBED_WHAT, "pkg-config " + pc + " failed (exit " + flags.exitCode() + "): "
                        + tail(flags.stderr() + libdir.stderr()) + (flags.exitCode() == 127 ? "; install pkg-config in "
                        + env.describe() + " (add it to the distro's packages)" : ""));
            }
            List<String> cc = new ArrayList<>(List.of("cc", "-o", program.toString(), source.toString()));
            cc.addAll(shellWords(flags.stdout()));
            // An embedding application chooses how it finds libpython; this one records the tree's lib/.
            // pkg-config escapes a space in a variable too.
            cc.add("-Wl,-rpath," + String.join(" ", shellWords(libdir.stdout())));
            ExecResult compiled = env.run(cc, Map.of(), dir);
            if (!compiled.ok()) {
                return Check.fail("embed", EMBED_WHAT, "cc " + String.join(" ", cc.subList(4, cc.size()))
                        + " failed (exit " + compiled.exitCode() + "): " + head(compiled.stdout() + compiled.stderr()));
            }
            List<String> run = new ArrayList<>(List.of(program.toString()));
            run.addAll(modules);
            ExecResult r = env.run(run, Map.of("PYTHONHOME", root.toString()), dir);
            String want = "embedded " + version + " " + root;
            if (!r.ok() || !r.stdout().strip().equals(want)) {
                return Check.fail("embed", EMBED_WHAT, "the program built from pkg-config's " + pc + " printed '"
                        + r.stdout().strip() + "' (exit " + r.exitCode() + "), expected '" + want + "': " + tail(r.stderr()));
            }
            return Check.pass("embed", EMBED_WHAT, "pkg-config: " + flags.stdout().strip() + "; started " + version
                    + " and imported " + modules.size() + " modules");
        } catch (UserError e) {
            return Check.fail("embed", EMBED_WHAT, e.getMessage());
        }
    }

    /** pkg-config's output split into arguments: white space separates, a backslash escapes (a space in a path). */
    static List<String> shellWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(s.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
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

    /** Libraries every Linux process has: linking them is not a dependency anyone chose. */
    static final java.util.regex.Pattern LIBC = java.util.regex.Pattern.compile(
            "(libc|libm|libpthread|libdl|librt|libutil|libresolv)\\.so\\.\\d+|ld-linux.*|libpython.*");

    static final String MODULE_SET_WHAT = "every extension module that links a library beyond libc is one a required "
            + "module imports (the manifest's choice, not the build machine's)";

    /**
     * An extension module in lib-dynload that links a library of its own (libssl, libtk, ...) is there because its
     * {@code -dev} package was on the build machine. It must be one the manifest asked for: imported by verify's
     * required modules ({@code loaded}, from the probe). Otherwise the runtime's module set, and what its run image
     * needs, depends on the machine it was built on.
     */
    static Check moduleSet(BuildPlan plan, JsonNode loaded, Map<String, ElfFacts> elves) {
        if (loaded == null) {
            return Check.fail("module-set", MODULE_SET_WHAT, "the interpreter did not run, so what the required modules "
                    + "load is unknown");
        }
        Set<String> asked = new java.util.HashSet<>();
        loaded.forEach(n -> asked.add(n.asText()));
        String dynload = "lib/" + plan.stdlibDir() + "/lib-dynload/";
        List<String> problems = new ArrayList<>();
        int linking = 0;
        for (Map.Entry<String, ElfFacts> e : new java.util.TreeMap<>(elves).entrySet()) {
            if (!e.getKey().startsWith(dynload)) {
                continue;
            }
            List<String> own = e.getValue().needed().stream().filter(n -> !LIBC.matcher(n).matches()).toList();
            if (own.isEmpty()) {
                continue;
            }
            linking++;
            String file = e.getKey().substring(dynload.length());
            String module = file.substring(0, file.indexOf('.'));
            if (!asked.contains(module)) {
                problems.add(module + " (links " + String.join(", ", own) + ") is not imported by any required module: "
                        + "add the module that needs it to verify.modules, or keep it out (configure "
                        + "py_cv_module_" + module + "=n/a from 3.11, or a cleanup rule)");
            }
        }
        return Check.of("module-set", MODULE_SET_WHAT, problems, linking + " modules link libraries of their own, "
                + "each imported by a required module");
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

    /** What consumers' builds take from sysconfig (setuptools' customize_compiler and build_ext, PyO3, ...). */
    static final List<String> CONSUMER_FLAGS = List.of("CC", "CXX", "CFLAGS", "CPPFLAGS", "CCSHARED", "LDFLAGS", "LDSHARED",
            "LDCXXSHARED", "BLDSHARED", "PY_CFLAGS", "PY_CPPFLAGS", "PY_LDFLAGS", "CONFIGURE_CFLAGS", "CONFIGURE_LDFLAGS", "LINKFORSHARED");

    /** Path variables consumers read, which must name the tree where it is unpacked (those a release has). */
    static final List<String> PATH_VARS = List.of("prefix", "exec_prefix", "BINDIR", "LIBDIR", "INCLUDEDIR", "INCLUDEPY",
            "CONFINCLUDEPY", "CONFINCLUDEDIR", "LIBPL", "LIBDEST", "BINLIBDEST", "DESTSHARED", "LIBPC", "SCRIPTDIR",
            "DATAROOTDIR", "MANDIR");

    static final String SYSCONFIG_WHAT = "sysconfig names the tree, keeps the plan's configure arguments and the flags "
            + "consumers inherit, and none that only our build needed";

    /**
     * sysconfig as the unpacked runtime reports it: CONFIG_ARGS is the record of the build (the --build triplet and
     * the plan's configure arguments, as given); every path variable is inside {@code root}; no other variable names
     * the install prefix; each of the plan's flags is in the variable it ends up in, except the build-only ones
     * ({@link BuildOnlyFlags}), which no variable consumers read may carry.
     */
    static Check sysconfig(BuildPlan plan, JsonNode vars, Path root) {
        List<String> problems = new ArrayList<>();
        String configArgs = text(vars, "CONFIG_ARGS");
        String build = "'--build=" + plan.environment().buildTriplet() + "'";
        if (!configArgs.contains(build)) {
            problems.add("CONFIG_ARGS lacks " + build);
        }
        String placeholder = BuildPaths.placeholder(plan.target().id());
        for (Flag f : plan.configure()) {
            // A cross build's --with-build-python names the build directory, which the build replaced everywhere.
            String arg = f.value().replace(plan.buildDir(), placeholder);
            if (!configArgs.contains("'" + arg + "'")) {
                problems.add("CONFIG_ARGS lacks '" + arg + "'");
            }
        }
        List<String> buildOnly = BuildOnlyFlags.regexes(placeholder);
        plan.flags().forEach((variable, flags) -> {
            String name = SYSCONFIG_OF.get(variable);
            if (name == null) {
                return;
            }
            // make hands the variables to sysconfig with their escaping for the shell ($ORIGIN arrives as \$ORIGIN).
            List<String> tokens = Arrays.asList(text(vars, name).replace("\\$", "$").split("\\s+"));
            for (Flag f : flags) {
                String expected = f.value().replace(plan.buildDir(), placeholder);
                if (!BuildOnlyFlags.matches(buildOnly, expected) && !tokens.contains(expected)) {
                    problems.add(name + " lacks " + expected + " (" + variable + ", from " + f.origin() + ")");
                }
            }
        });
        for (String name : CONSUMER_FLAGS) {
            for (String token : text(vars, name).split("\\s+")) {
                if (BuildOnlyFlags.matches(buildOnly, token)) {
                    problems.add(name + " still has " + token + ", which only the runtime's own build needed");
                }
            }
        }
        Path tree = root.toAbsolutePath().normalize();
        for (String name : PATH_VARS) {
            String value = text(vars, name);
            if (!value.isEmpty() && !Path.of(value).normalize().startsWith(tree)) {
                problems.add(name + " is " + value + ", not inside the tree at " + tree);
            }
        }
        List<String> naming = new ArrayList<>();
        if (vars != null) {
            vars.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("CONFIG_ARGS") && e.getValue().asText().contains(plan.prefix())) {
                    naming.add(e.getKey());
                }
            });
        }
        if (!naming.isEmpty()) {
            naming.sort(null);
            problems.add("still naming the install prefix " + plan.prefix() + ": " + String.join(" ",
                    LayoutChecks.withMore(naming, 10)));
        }
        return Check.of("sysconfig", SYSCONFIG_WHAT, problems, "prefix " + text(vars, "prefix") + "; CONFIG_ARGS, "
                + "CFLAGS, CPPFLAGS and LDFLAGS match the plan; no build-only flag in " + CONSUMER_FLAGS.size() + " variables");
    }

    static final String LDD_WHAT = "ldd finds every library of every ELF file, without LD_LIBRARY_PATH";

    /** ELF files per ldd run: a tree of tens of thousands would not fit one command line. */
    static final int LDD_BATCH = 200;

    private Check ldd(Path root, Set<String> elfFiles) throws UserError, IOException {
        // ldd runs the dynamic loader on each file: as confined as the interpreter.
        BuildEnvironment confined = in(root);
        List<String> files = new ArrayList<>(elfFiles);
        List<String> problems = new ArrayList<>();
        for (int from = 0; from < files.size(); from += LDD_BATCH) {
            List<String> cmd = new ArrayList<>(List.of("ldd", "--"));
            files.subList(from, Math.min(files.size(), from + LDD_BATCH)).forEach(f -> cmd.add(root.resolve(f).toString()));
            ExecResult r = confined.run(cmd, Map.of(), root);
            int before = problems.size();
            String current = "";
            for (String line : (r.stdout() + "\n" + r.stderr()).split("\n")) {
                if (!line.startsWith("\t") && line.endsWith(":")) {
                    current = line.substring(0, line.length() - 1);
                    current = current.startsWith(root + "/") ? current.substring(root.toString().length() + 1) : current;
                } else if (line.contains("not found")) {
                    problems.add(dev.pyruntime.Chars.shown(current + ": " + line.strip()));
                }
            }
            if (!r.ok() && problems.size() == before) {
                problems.add("ldd failed (exit " + r.exitCode() + "): " + tail(r.stderr()));
            }
        }
        return Check.of("ldd", LDD_WHAT, LayoutChecks.withMore(problems, 10), elfFiles.size() + " ELF files resolved");
    }

    /** What the interpreter printed, as a JSON object, or null when it is not (nothing, a crash's output, a banner). */
    private static JsonNode json(String printed) {
        try {
            JsonNode node = new ObjectMapper().readTree(printed);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The probe's answer, or null when it lacks any part the checks read (a program that is not our probe's Python). */
    private static JsonNode probed(String printed) {
        JsonNode node = json(printed);
        if (node == null) {
            return null;
        }
        for (String part : List.of("modules", "sysconfig", "builtin", "loaded")) {
            if (!node.has(part) || !node.get(part).isContainerNode()) {
                return null;
            }
        }
        return node;
    }

    private static String text(JsonNode vars, String name) {
        JsonNode v = vars == null ? null : vars.get(name);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** Why a confined program stopped, when its time ran out. */
    private static String timedOut(ExecResult r) {
        return r.exitCode() == dev.pyruntime.env.Sandbox.TIMED_OUT || r.exitCode() == 137
                ? " (stopped after " + dev.pyruntime.env.Sandbox.SECONDS + " s)" : "";
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
        return dev.pyruntime.Resources.text(RuntimeChecks.class, name);
    }
}
