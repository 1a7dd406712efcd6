package dev.pyruntime.compile;

import dev.pyruntime.Setting;
import dev.pyruntime.Logs;
import dev.pyruntime.Console;
import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ExecResult;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one target's CPython from its plan: unpack, write Modules/Setup.local for its built-in modules, configure,
 * make, install into a staging tree, clean up, byte-compile deterministically. Every command is an argument list run
 * in the target's build environment; each phase logs to {@code logs/<phase>.log}.
 *
 * <p>Layout under the target's work directory: {@code build/} (the source tree, built in place; the plan's
 * buildDir), {@code destdir/} (make install's DESTDIR, removed after), {@code staging/} (the installed prefix),
 * {@code logs/}.
 */
public final class CPythonBuild {
    /** Test data that is deliberately not valid Python, when a manifest keeps the tests (as CPython's own install does). */
    static final String UNCOMPILABLE = "(^|/)(bad_coding|badsyntax|lib2to3/tests/data)";

    /** Lines of a failed phase's log shown in the error. */
    static final int TAIL_LINES = 40;

    private final BuildEnvironment env;
    private final Console console;
    private final Options options;

    /**
     * @param jobs   make's parallelism
     * @param ccache the directory of ccache's compiler links (such as /usr/lib/ccache), or null for none
     */
    public record Options(int jobs, Path ccache) {
    }

    public CPythonBuild(BuildEnvironment env, Console console, Options options) {
        this.env = env;
        this.console = console;
        this.options = options;
    }

    public static Path staging(Path workDir) {
        return workDir.resolve("staging");
    }

    /**
     * Builds into {@code staging/}; the caller has checked the plan is not up to date.
     *
     * @return the SOURCE_DATE_EPOCH the build ran with
     */
    public long build(BuildPlan plan, Path workDir, Path sourceTarball) throws UserError, IOException {
        String id = plan.target().id();
        Path buildDir = Path.of(plan.buildDir());
        if (!buildDir.equals(workDir.toAbsolutePath().resolve("build"))) {
            throw new UserError(id + ": the plan was made for build directory " + buildDir + ", not "
                    + workDir.toAbsolutePath().resolve("build") + "; resolve the plan again ("
                    + console.words().step("resolve-flags") + ")");
        }
        if (workDir.toAbsolutePath().toString().chars().anyMatch(Character::isWhitespace)) {
            throw new UserError(id + ": the work directory " + workDir.toAbsolutePath() + " contains white space, which "
                    + "CPython's build cannot handle; move the project or set "
                    + console.words().name(Setting.OUTPUT_DIRECTORY));
        }
        Path destdir = workDir.resolve("destdir");
        Path staging = staging(workDir);
        Path logs = workDir.resolve("logs");
        String conflict = DebugSymbols.conflict(plan);
        if (conflict != null) {
            throw new UserError(conflict);
        }
        for (Path p : List.of(buildDir, destdir, staging, DebugSymbols.dir(workDir), logs)) {
            Cleanup.delete(p);
        }
        Files.createDirectories(logs);

        long t0 = System.nanoTime();
        SafeUnpacker.unpackSource(sourceTarball, buildDir, 1);
        console.info(id + ": unpacked " + plan.source().file() + " (" + seconds(t0) + ")");

        Map<String, String> buildEnv = new LinkedHashMap<>();
        // __DATE__/__TIME__ (in sys.version) become the release's own date: the same source gives the same binary.
        long sourceDate = sourceDate(buildDir);
        buildEnv.put("SOURCE_DATE_EPOCH", Long.toString(sourceDate));
        // The build's own Python runs (lib2to3's grammar pickles, sysconfig data) must not depend on a random hash seed.
        buildEnv.put("PYTHONHASHSEED", "0");
        if (options.ccache() != null) {
            // No CCACHE_BASEDIR: it rewrites the absolute source paths setup.py passes into relative ones, so __FILE__
            // in those extension modules read "Modules/x.c" instead of "./Modules/x.c" and the archive changed.
            buildEnv.put("PATH", options.ccache() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        }
        if (plan.buildsBuildPython()) {
            buildPython(plan, buildEnv, logs);
        } else if (plan.cross() != null) {
            requireBuildPython(plan);
        }
        // After the source date: the file is the plan's, not the release's.
        SetupLocal.write(buildDir, plan.builtinModules(), id, plan.target().version());
        List<String> configure = new ArrayList<>();
        configure.add("./configure");
        plan.configure().stream().map(Flag::value).forEach(configure::add);
        phase(plan, "configure", configure, buildEnv, buildDir, logs);

        List<String> make = new ArrayList<>(List.of("make", "-j" + options.jobs()));
        make.addAll(makeVariables(plan));
        phase(plan, "make", make, buildEnv, buildDir, logs);

        List<String> install = new ArrayList<>(List.of("make", "install", "DESTDIR=" + destdir));
        install.addAll(makeVariables(plan));
        phase(plan, "install", install, buildEnv, buildDir, logs);

        Path installed = destdir.resolve(plan.prefix().substring(1));
        if (!Files.isDirectory(installed)) {
            throw new UserError(id + ": make install left nothing at " + installed + "; see " + logs.resolve("install.log"));
        }
        Files.move(installed, staging);
        Cleanup.delete(destdir);

        List<String> removed = Cleanup.apply(staging, plan.cleanup());
        Files.writeString(logs.resolve("cleanup.log"), String.join("\n", removed) + "\n");
        console.info(id + ": cleanup removed " + removed.size() + " paths (list in " + logs.resolve("cleanup.log") + ")");
        Path symbols = DebugSymbols.dir(workDir);
        Cleanup.delete(symbols);
        if (plan.archive().symbols() != null) {
            Path log = logs.resolve("symbols.log");
            String objcopy = plan.cross() == null ? "objcopy" : plan.cross().hostTriplet() + "-objcopy";
            long s0 = System.nanoTime();
            DebugSymbols.Split split = DebugSymbols.split(env, objcopy, staging, symbols, id, log);
            console.info(String.format(java.util.Locale.ROOT, "%s: stripped %d ELF files; their debug "
                    + "information is in %d debug files (%.1f MB) under %s, by build-id (%s; list in %s)", id, split.files(),
                    split.debugFiles(), split.debugBytes() / 1e6, symbols, seconds(s0), log));
        }

        List<String> rewritten = BuildPaths.rewrite(staging, buildDir.toString(), BuildPaths.placeholder(id));
        console.debug(id + ": build directory replaced by " + BuildPaths.placeholder(id) + " in " + rewritten);
        finishLayout(plan, staging);
        relocate(plan, staging, logs);
        byteCompile(plan, staging, logs);
        return sourceDate;
    }

    /**
     * A cross build's build Python: the same source built natively, out of tree in {@code build/build-python}, with
     * configure's defaults (no flags of the plan: it never ships). configure's {@code --with-build-python} runs it to
     * freeze modules and write sysconfig data, and it byte-compiles the staged tree and makes it relocatable, where
     * the cross-built interpreter would need emulation. Built before the in-tree configure, as an out-of-tree build
     * needs a source directory that was never configured.
     */
    private void buildPython(BuildPlan plan, Map<String, String> vars, Path logs) throws UserError, IOException {
        Path dir = plan.buildPython().getParent();
        Files.createDirectories(dir);
        List<String> configure = new ArrayList<>(List.of("../configure", "--without-ensurepip"));
        // configure has --disable-test-modules from 3.10.
        if (dev.pyruntime.manifest.PythonVersion.parse(plan.target().version())
                .map(v -> v.compareTo(dev.pyruntime.manifest.PythonVersion.parse("3.10.0").orElseThrow()) >= 0)
                .orElse(false)) {
            configure.add("--disable-test-modules");
        }
        phase(plan, "build-python-configure", configure, vars, dir, logs);
        phase(plan, "build-python-make", List.of("make", "-j" + options.jobs()), vars, dir, logs);
    }

    /**
     * A given build Python must be the target's version (another one freezes modules of its own version); it is linked
     * where the build would have made one.
     */
    private void requireBuildPython(BuildPlan plan) throws UserError, IOException {
        Path python = Path.of(plan.cross().givenBuildPython());
        String setting = console.words().name(Setting.BUILD_PYTHON);
        ExecResult r = Files.isExecutable(python) ? env.run(List.of(python.toString(), "-I", "-c",
                "import platform; print(platform.python_version())"), Map.of(), python.getParent()) : null;
        String said = r == null ? "" : r.stdout().strip();
        if (r == null || !r.ok() || !said.equals(plan.target().version())) {
            throw new UserError(plan.target().id() + ": " + setting + " is " + python + ", which "
                    + (r == null ? "is not an executable file" : !r.ok() ? "does not run on " + env.describe()
                    + " (exit " + r.exitCode() + ": " + Logs.tail(r.stderr(), 3).strip() + ")"
                    : said.isEmpty() ? "printed no Python version" : "is Python " + dev.pyruntime.Chars.shown(said))
                    + "; a cross build needs a Python " + plan.target().version() + " that runs here. Give one of "
                    + "that version, or leave " + setting + " out to build one from the same source");
        }
        Files.createDirectories(plan.buildPython().getParent());
        Files.createSymbolicLink(plan.buildPython(), python);
    }

    /** The plan's make variables as make command-line assignments. */
    static List<String> makeVariables(BuildPlan plan) {
        List<String> out = new ArrayList<>();
        plan.flags().forEach((name, flags) -> out.add(name + "=" + escapeForMake(plan.joined(name))));
        plan.make().forEach((name, setting) -> out.add(name + "=" + setting.value()));
        return out;
    }

    /**
     * A flag value as it must appear on make's command line to reach the compiler and linker intact: make turns
     * {@code $$} into {@code $}, and the recipe's shell turns {@code \$} into {@code $}. So {@code $ORIGIN} is written
     * {@code \$$ORIGIN}; that also survives into the extension modules' link lines.
     */
    static String escapeForMake(String value) {
        return value.replace("$", "\\$$");
    }

    private void phase(BuildPlan plan, String name, List<String> command, Map<String, String> vars, Path dir, Path logs)
            throws UserError, IOException {
        Path log = logs.resolve(name + ".log");
        console.info(plan.target().id() + ": " + name + " ...");
        Progress progress = new Progress(console, plan.target().id() + ": " + name);
        int exit;
        try (progress) {
            exit = env.stream(command, vars, dir, log, progress);
        }
        if (exit != 0) {
            throw new UserError(plan.target().id() + ": " + name + " failed (exit " + exit + "). Last " + TAIL_LINES
                    + " lines of " + log + ":\n" + Logs.tail(log, TAIL_LINES) + "\nFull log: " + log);
        }
        console.info(plan.target().id() + ": " + name + " done in " + progress.elapsed()
                + (progress.units() > 0 ? " (" + progress.units() + " units compiled)" : ""));
    }

    /** {@code bin/python} next to {@code bin/python3}, as users and the recipes expect. */
    private static void finishLayout(BuildPlan plan, Path staging) throws IOException {
        Path bin = staging.resolve("bin");
        if (Files.exists(bin.resolve("python3")) && !Files.exists(bin.resolve("python"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(bin.resolve("python"), Path.of("python3"));
        }
    }

    /**
     * Makes the installed tree right wherever it is unpacked (see {@code relocate.py}, run with the staged interpreter
     * so it reads the sysconfig data as the runtime does): sysconfig's paths follow the tree, pkg-config files use
     * {@code ${pcfiledir}}, scripts whose shebang names the prefix get a trampoline, and the flags only our own build
     * needed ({@link BuildOnlyFlags}) are left out of what consumers' builds inherit. Before byte-compiling, so the
     * rewritten modules' pycs are the ones shipped.
     */
    private void relocate(BuildPlan plan, Path staging, Path logs) throws UserError, IOException {
        phase(plan, "relocate", relocateCommand(finishingPython(plan, staging).toString(), staging, plan,
                options.ccache()), Map.of(), staging, logs);
    }

    /**
     * relocate.py's command line for the installed tree {@code root} of {@code plan}, run by {@code python}.
     *
     * @param ccache the directory of ccache's compiler links the build had first on PATH, or null: configure records
     *               CXX through it (/usr/lib/ccache/g++), which consumers must not inherit
     */
    public static List<String> relocateCommand(String python, Path root, BuildPlan plan, Path ccache) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python, "-I", "-B", "-c", resource("relocate.py"), root.toString(),
                plan.prefix(), plan.stdlibDir()));
        for (String regex : BuildOnlyFlags.regexes(BuildPaths.placeholder(plan.target().id()))) {
            cmd.add("--drop");
            cmd.add(regex);
        }
        if (ccache != null) {
            cmd.add("--tool-dir");
            cmd.add(ccache.toString());
        }
        if (plan.cross() != null) {
            cmd.add("--tool-prefix");
            cmd.add(plan.cross().hostTriplet() + "-");
        }
        return cmd;
    }

    /**
     * The interpreter that makes the staged tree relocatable and byte-compiles it: the staged one, or for a cross
     * build the build Python of the same source, which runs here without emulation and writes the same bytes.
     */
    private static Path finishingPython(BuildPlan plan, Path staging) throws UserError {
        Path staged = stagedPython(plan, staging);
        return plan.cross() == null ? staged : plan.buildPython();
    }

    private static Path stagedPython(BuildPlan plan, Path staging) throws UserError {
        Path python = staging.resolve("bin/" + plan.interpreter());
        if (!Files.isExecutable(python)) {
            throw new UserError(plan.target().id() + ": " + python + " is missing after install and cleanup; check that no "
                    + "cleanup rule removes bin/" + plan.interpreter());
        }
        return python;
    }

    private static String resource(String name) throws IOException {
        return dev.pyruntime.Resources.text(CPythonBuild.class, name);
    }

    /**
     * Byte-compiles the standard library with hash-based pycs that are never checked against mtimes, so the same
     * sources always give the same bytes; the recorded source paths are the install prefix, not the staging tree.
     */
    private void byteCompile(BuildPlan plan, Path staging, Path logs) throws UserError, IOException {
        Path stdlib = staging.resolve("lib/" + plan.stdlibDir());
        Path python = finishingPython(plan, staging);
        // make install wrote timestamp-based pycs (and optimised ones): start from none, so every pyc is rewritten.
        Cleanup.apply(staging, List.of("**/__pycache__/"));
        // -B: the imports compileall's workers make must not leave pycs of their own (with staging paths) behind.
        List<String> cmd = List.of(python.toString(), "-B", "-E", "-s", "-m", "compileall", "-f", "-q",
                "-j" + options.jobs(), "--invalidation-mode", "unchecked-hash", "-x", UNCOMPILABLE, "-s",
                staging.toString(), "-p", plan.prefix(), stdlib.toString());
        phase(plan, "compileall", cmd, Map.of("PYTHONHASHSEED", "0"), staging, logs);
    }

    /** The newest modification time in the unpacked source, in seconds: the release's date. */
    static long sourceDate(Path sourceTree) throws IOException {
        try (var files = Files.walk(sourceTree)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() / 1000;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).max().orElse(0);
        }
    }

    private static String seconds(long start) {
        return Progress.format(java.time.Duration.ofNanos(System.nanoTime() - start));
    }
}
