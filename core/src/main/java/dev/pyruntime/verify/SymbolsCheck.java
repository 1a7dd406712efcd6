package dev.pyruntime.verify;

import com.github.luben.zstd.ZstdInputStream;
import dev.pyruntime.Chars;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.archive.Sha256Sidecar;
import dev.pyruntime.compile.Cleanup;
import dev.pyruntime.compile.ElfDebug;
import dev.pyruntime.compile.SafeUnpacker;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ExecResult;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.env.Sandbox;
import dev.pyruntime.plan.BuildPlan;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checks of a runtime's companion debug symbols archive ({@code archive.symbols: separate}): that it is the one
 * the build made and holds a debug file for every shipped ELF file, by build-id ({@code symbols}); and that a stock
 * debugger finds them there, with nothing but that archive unpacked beside the runtime ({@code symbols-gdb}).
 */
final class SymbolsCheck {
    private SymbolsCheck() {
    }

    static final String ID = "symbols";
    static final String GDB = "symbols-gdb";
    static final List<String> IDS = List.of(ID, GDB);
    static final String WHAT = "every shipped ELF file is stripped, and the symbols archive has its debug file by "
            + "build-id (.build-id/xx/rest.debug), with DWARF";
    static final String GDB_WHAT = "gdb, with only the files of the symbols archive as its debug-file-directory, resolves a "
            + "libpython function to its source line and a type, which the stripped file alone does not";

    /** The function gdb is asked about: in libpython (or the interpreter without one) since 3.8, in Modules/main.c. */
    static final String FUNCTION = "Py_BytesMain";

    /** Both checks, skipped for {@code why}. */
    static List<Check> skipped(String why) {
        return List.of(Check.skipped(ID, WHAT, why), Check.skipped(GDB, GDB_WHAT, why));
    }

    /**
     * @param root      the unpacked runtime
     * @param elfFiles  its ELF files, relative to {@code root}
     * @param own       whether the archive is this build's own (its symbols archive must then be beside it)
     * @param scratch   a directory of the target's work directory for the unpacked symbols and gdb's runs
     */
    static List<Check> run(BuildPlan plan, Path archive, Path root, Set<String> elfFiles, boolean own, Path scratch) {
        return run(plan, archive, root, elfFiles, own, false, scratch);
    }

    /**
     * @param runUnconfined the user's choice to read an archive that is not this build's own outside a sandbox when
     *                      there is none here
     */
    static List<Check> run(BuildPlan plan, Path archive, Path root, Set<String> elfFiles, boolean own,
                           boolean runUnconfined, Path scratch) {
        String name = plan.archive().symbols();
        if (name == null) {
            return skipped("the manifest ships the ELF files as the link left them (archive.symbols is not 'separate')");
        }
        Path file = archive.resolveSibling(name);
        if (!Files.isRegularFile(file)) {
            return own ? List.of(Check.fail(ID, WHAT, name + " is not beside the archive; package writes it with the "
                    + "archive: package again"), Check.skipped(GDB, GDB_WHAT, "no symbols archive"))
                    : skipped(name + " is not beside the archive (only the runtime archive was given)");
        }
        Path symbols = scratch.resolve("symbols");
        List<String> problems = new ArrayList<>();
        String sha256;
        try {
            Cleanup.delete(scratch);
            Files.createDirectories(symbols);
            sha256 = Sha256Sidecar.hash(file);
            provenance(archive, file, name, sha256, problems);
            try (InputStream in = new ZstdInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                SafeUnpacker.unpack(in, symbols, 0, name);
            }
        } catch (UserError e) {
            return List.of(Check.fail(ID, WHAT, e.getMessage()), Check.skipped(GDB, GDB_WHAT, name + " did not unpack"));
        } catch (IOException | RuntimeException e) {
            return List.of(Check.fail(ID, WHAT, "cannot read " + name + " as a zstd-compressed tar: " + e.getMessage()),
                    Check.skipped(GDB, GDB_WHAT, name + " did not unpack"));
        }
        Set<String> wanted = new TreeSet<>();
        int withDwarf = 0;
        int loadable = 0;
        List<String> noDwarf = new ArrayList<>();
        String main = mainFile(plan, elfFiles);
        for (String rel : elfFiles) {
            Path shipped = root.resolve(rel);
            ElfDebug s;
            try {
                s = ElfDebug.read(shipped);
            } catch (IOException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (!s.loadable()) {
                continue; // a relocatable object (config-3.X/python.o) ships as make install left it
            }
            if (s.buildId() == null) {
                problems.add(rel + " has no build-id, so no debugger can find its debug file");
                continue;
            }
            if (s.debugInfo() || s.symtab()) {
                problems.add(rel + " is not stripped (it has " + (s.debugInfo() ? ".debug_info" : ".symtab") + ")");
            }
            loadable++;
            String debugPath = ElfDebug.debugPath(s.buildId());
            wanted.add(debugPath);
            Path debug = symbols.resolve(debugPath);
            if (!Files.isRegularFile(debug, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(rel + " (build-id " + s.buildId() + ") has no " + debugPath + " in " + name);
                continue;
            }
            try {
                ElfDebug d = ElfDebug.read(debug);
                if (!s.buildId().equals(d.buildId())) {
                    problems.add(debugPath + " has build-id " + d.buildId() + ", not " + s.buildId());
                } else if (!d.debugInfo()) {
                    noDwarf.add(rel);
                } else {
                    withDwarf++;
                }
            } catch (IOException e) {
                problems.add(debugPath + " (for " + rel + "): " + e.getMessage());
            }
        }
        List<String> extra = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> all = Files.walk(symbols)) {
            for (Path p : all.filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                String rel = symbols.relativize(p).toString();
                bytes += Files.size(p);
                if (!wanted.contains(rel)) {
                    extra.add(rel);
                }
            }
        } catch (IOException e) {
            problems.add("cannot list the unpacked " + name + ": " + e.getMessage());
        }
        if (noDwarf.contains(main)) {
            problems.add("the debug file of " + main + " has no DWARF (.debug_info): the build compiled without -g");
        }
        if (!extra.isEmpty()) {
            problems.add(name + " holds what is the debug file of no shipped ELF file: "
                    + String.join(", ", LayoutChecks.withMore(extra, 5)));
        }
        Check check = Check.of(ID, WHAT, problems, String.format(java.util.Locale.ROOT, "%d ELF executables and shared "
                + "objects, stripped, each with its debug file with DWARF in %s (%d debug files, %.1f MB unpacked, "
                + "sha256 %s)%s", loadable, name, withDwarf, bytes / 1e6, sha256, noDwarf.isEmpty() ? ""
                : "; without DWARF, as they were linked from no code compiled with -g: "
                + String.join(", ", LayoutChecks.withMore(noDwarf, 5))));
        Check gdb = check.failed() ? Check.skipped(GDB, GDB_WHAT, "the symbols check failed")
                : RuntimeChecks.guarded(GDB, GDB_WHAT, () -> gdb(plan, root, elfFiles, symbols, scratch,
                own || runUnconfined));
        return List.of(check, gdb);
    }

    /** The symbols archive's checksum against its {@code .sha256} and the runtime's metadata. */
    private static void provenance(Path archive, Path file, String name, String sha256, List<String> problems)
            throws IOException {
        Path sidecar = Sha256Sidecar.fileFor(file);
        String recorded = Files.isRegularFile(sidecar) ? Sha256Sidecar.read(sidecar) : null;
        if (recorded == null) {
            problems.add(sidecar.getFileName() + " is missing");
        } else if (!recorded.equals(sha256)) {
            problems.add(name + "'s sha256 is " + sha256 + " but " + sidecar.getFileName() + " says " + recorded);
        }
        Path metaFile = ArchiveMetadata.fileFor(archive);
        if (Files.isRegularFile(metaFile)) {
            ArchiveMetadata meta = ArchiveMetadata.read(metaFile);
            if (meta.symbols() == null) {
                problems.add(metaFile.getFileName() + " names no symbols archive");
            } else if (!name.equals(meta.symbols().archive()) || !sha256.equals(meta.symbols().sha256())) {
                problems.add(metaFile.getFileName() + " names " + Chars.shown(meta.symbols().archive()) + " with sha256 "
                        + meta.symbols().sha256() + ", not " + name + " with sha256 " + sha256);
            }
        }
    }

    private static final Pattern LINE = Pattern.compile("Line (\\d+) of \"([^\"]*)\" starts at address");

    /**
     * gdb reads the runtime's libpython (not run: gdb only reads it) with the unpacked symbols as its
     * {@code debug-file-directory}, then again with an empty one: the first must name {@link #FUNCTION}'s source line
     * and {@code PyObject}'s members, the second must not (the shipped file has no line table of its own).
     */
    private static Check gdb(BuildPlan plan, Path root, Set<String> elfFiles, Path symbols, Path scratch,
                             boolean mayRunUnconfined) throws IOException, UserError {
        if (onPath("gdb") == null) {
            return Check.skipped(GDB, GDB_WHAT, "gdb is not installed here (apt-get install gdb)");
        }
        String lib = mainFile(plan, elfFiles);
        Path empty = Files.createDirectories(scratch.resolve("empty"));
        Path home = Files.createDirectories(scratch.resolve("home"));
        BuildEnvironment host = new HostEnvironment(HostInfo.detect());
        BuildEnvironment where;
        String confined;
        try {
            Sandbox sandbox = Sandbox.of(host);
            where = sandbox.confine(root, List.of(home), List.of(symbols, empty));
            confined = "confined: " + sandbox.describe();
        } catch (dev.pyruntime.env.Unavailable e) {
            if (!mayRunUnconfined) {
                // gdb's ELF and DWARF readers do not read hostile bytes outside a sandbox.
                return Check.skipped(GDB, GDB_WHAT, "not run: no sandbox here (" + e.getMessage() + "), and this "
                        + "archive is not this build's own");
            }
            // This build's own files (or the user's choice); gdb runs nothing from them (no auto-load, no init files).
            where = host;
            confined = "unconfined (" + e.getMessage() + "); gdb runs nothing from the files";
        }
        ExecResult with = where.run(gdbCommand(root.resolve(lib), symbols), Map.of("HOME", home.toString()), home);
        String out = with.stdout() + with.stderr();
        Matcher line = LINE.matcher(out);
        if (!with.ok() || !line.find() || !out.contains("ob_type")) {
            return Check.fail(GDB, GDB_WHAT, "gdb " + lib + " with debug-file-directory " + symbols + " (exit "
                    + with.exitCode() + ") did not resolve " + FUNCTION + " to a source line and PyObject to its "
                    + "members: " + dev.pyruntime.Logs.tail(out, 6).strip());
        }
        ExecResult without = where.run(gdbCommand(root.resolve(lib), empty), Map.of("HOME", home.toString()), home);
        String bare = without.stdout() + without.stderr();
        if (!LINE.matcher(bare).find() && !bare.contains("No line number information available for address")) {
            // Not "no line": gdb did not get as far as looking (ptype fails there anyway, without DWARF).
            return Check.fail(GDB, GDB_WHAT, "gdb " + lib + " with an empty debug-file-directory (exit "
                    + without.exitCode() + ") did not find " + FUNCTION + " without its line, so nothing shows the "
                    + "line came from the symbols archive: " + dev.pyruntime.Logs.tail(bare, 6).strip());
        }
        if (LINE.matcher(bare).find()) {
            return Check.fail(GDB, GDB_WHAT, "gdb found " + FUNCTION + "'s source line in " + lib + " without the "
                    + "symbols archive too: the shipped file is not stripped, so this proves nothing about the archive");
        }
        return Check.pass(GDB, GDB_WHAT, lib + ": " + FUNCTION + " is line " + line.group(1) + " of "
                + Chars.shown(line.group(2)) + ", PyObject has ob_type; without the symbols archive, no line. gdb "
                + version(where, home) + ", " + confined);
    }

    /** The file that holds the interpreter's code: libpython when shipped, else the interpreter itself. */
    static String mainFile(BuildPlan plan, Set<String> elfFiles) {
        String major = "lib/libpython" + plan.target().series();
        return elfFiles.stream().filter(f -> f.startsWith(major) && f.matches("[^ ]*\\.so\\.[0-9.]+")).sorted()
                .findFirst().orElse("bin/" + plan.interpreter());
    }

    /** The executable {@code name} on this process's PATH, or null. */
    static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    static List<String> gdbCommand(Path file, Path debugDir) {
        // -nx -nh: no init files; auto-load off: no script beside the file runs; debuginfod off: nothing is fetched.
        return List.of("gdb", "-nx", "-nh", "-batch", "-iex", "set auto-load off", "-iex",
                "set debuginfod enabled off", "-iex", "set debug-file-directory " + debugDir, "-ex",
                "info line " + FUNCTION, "-ex", "ptype PyObject", "--", file.toString());
    }

    private static String version(BuildEnvironment where, Path home) {
        try {
            ExecResult r = where.run(List.of("gdb", "--version"), Map.of("HOME", home.toString()), home);
            return r.stdout().lines().findFirst().orElse("?").replaceFirst("^GNU gdb (\\([^)]*\\) )?", "");
        } catch (UserError e) {
            return "?";
        }
    }
}
