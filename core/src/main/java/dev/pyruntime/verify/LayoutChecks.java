package dev.pyruntime.verify;

import dev.pyruntime.compile.BuildPaths;
import dev.pyruntime.compile.Cleanup;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Checks of the unpacked tree's files: {@code bin/}, the manifest's cleanup, byte-code, build paths. */
final class LayoutChecks {
    /** A pyc's flags word for {@code --invalidation-mode unchecked-hash}: hash-based, source not checked (PEP 552). */
    static final int UNCHECKED_HASH = 0b01;

    private LayoutChecks() {
    }

    /** The ids of the checks {@link #run} reports, in their order. */
    static final List<String> IDS = List.of("layout-bin", "layout-cleanup", "bytecode", "build-paths", "install-prefix");

    static List<Check> run(BuildPlan plan, VerifySpec spec, Path root) throws IOException {
        return List.of(bin(plan, spec, root), cleanup(plan, root), bytecode(root), buildPaths(plan, root),
                installPrefix(plan, root));
    }

    static Check bin(BuildPlan plan, VerifySpec spec, Path root) throws IOException {
        String series = plan.target().series();
        List<String> problems = new ArrayList<>();
        Path bin = root.resolve("bin");
        // A free-threaded or debug build's interpreter is python3.13t (python3.13d), which python3.13 links to.
        List<String> required = new ArrayList<>(List.of("python3", "python", "python" + series));
        if (!required.contains(plan.interpreter())) {
            required.add(plan.interpreter());
        }
        for (String name : required) {
            if (!Files.isExecutable(bin.resolve(name))) {
                problems.add("bin/" + name + " is missing");
            }
        }
        List<PathMatcher> allowed = spec.bin().stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(bin)) {
            try (Stream<Path> s = Files.list(bin)) {
                s.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
            }
        }
        for (String n : names) {
            if (allowed.stream().noneMatch(m -> m.matches(Path.of(n)))) {
                problems.add("bin/" + n + " is not allowed (verify.bin: " + spec.bin() + ")");
            }
        }
        return Check.of("layout-bin", "bin/ holds " + String.join(", ", required) + " and only what verify.bin allows",
                problems, String.join(" ", names));
    }

    /** Nothing matches a cleanup rule, except the byte-code caches the plugin writes after cleaning. */
    static Check cleanup(BuildPlan plan, Path root) throws IOException {
        List<String> rules = plan.cleanup().stream().filter(r -> !r.contains("__pycache__")).toList();
        List<String> left = Cleanup.find(root, rules);
        return Check.of("layout-cleanup", "nothing matches the cleanup rules (tests, static libpython, ...)",
                left.stream().map(p -> p + " is still there").toList(), rules.size() + " rules, no match");
    }

    /** Every pyc is an unchecked-hash pyc in a {@code __pycache__} beside its source; no other byte-code or caches. */
    static Check bytecode(Path root) throws IOException {
        List<String> problems = new ArrayList<>();
        int count = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                String name = p.getFileName().toString();
                String rel = root.relativize(p).toString();
                if (name.endsWith(".pyo")) {
                    problems.add(rel + ": stray .pyo");
                } else if (name.endsWith(".pyc")) {
                    count++;
                    String pyc = pycProblem(p);
                    if (pyc != null) {
                        problems.add(rel + ": " + pyc);
                    }
                }
            }
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isDirectory).map(d -> d.getFileName() == null ? "" : d.getFileName().toString())
                    .filter(n -> n.equals(".pytest_cache") || n.equals(".mypy_cache")).forEach(n -> problems.add("stray cache " + n));
        }
        return Check.of("bytecode", "every pyc is unchecked-hash, in __pycache__, beside its source",
                problems.size() > 20 ? withMore(problems, 20) : problems, count + " pyc files");
    }

    static String pycProblem(Path pyc) throws IOException {
        Path dir = pyc.getParent();
        if (dir == null || !dir.getFileName().toString().equals("__pycache__")) {
            return "byte-code outside __pycache__";
        }
        String name = pyc.getFileName().toString();
        String module = name.substring(0, name.indexOf('.') < 0 ? name.length() : name.indexOf('.'));
        if (!Files.exists(dir.getParent().resolve(module + ".py"))) {
            return "no source " + module + ".py beside it";
        }
        byte[] head = new byte[16];
        try (var in = Files.newInputStream(pyc)) {
            if (in.readNBytes(head, 0, 16) < 16) {
                return "truncated";
            }
        }
        int flags = ByteBuffer.wrap(head, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return flags == UNCHECKED_HASH ? null : "flags " + flags + ", not an unchecked-hash pyc (" + UNCHECKED_HASH + ")";
    }

    /** No file names the directory the target was built or staged in: the tree does not depend on where it was made. */
    static Check buildPaths(BuildPlan plan, Path root) throws IOException {
        String workDir = Path.of(plan.buildDir()).getParent().toString();
        byte[] needle = workDir.getBytes(StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                if (BuildPaths.fileContains(p, needle)) {
                    problems.add(root.relativize(p) + " mentions " + workDir);
                }
            }
        }
        return Check.of("build-paths", "no file mentions the build's work directory", withMore(problems, 10),
                "none mentions " + workDir);
    }

    /** The largest text file read whole to name the line (CPython's largest, the sysconfig data, is under 100 kB). */
    static final long MAX_TEXT_BYTES = 16L << 20;

    static final String PREFIX_WHAT = "no text file names the install prefix (shebangs, pkg-config, sysconfig), "
            + "but CONFIG_ARGS, the record of the build";

    /**
     * No text file (one without a NUL byte: binaries keep the prefix only as getpath's last resort) names the prefix
     * the tree was built for: after a move it points nowhere. The one exception is a {@code CONFIG_ARGS} line of
     * the sysconfig data or Makefile, which records configure's arguments as they were given.
     */
    static Check installPrefix(BuildPlan plan, Path root) throws IOException {
        byte[] needle = plan.prefix().getBytes(StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                if (!BuildPaths.fileContains(p, needle) || BuildPaths.fileContains(p, new byte[] {0})) {
                    continue;
                }
                if (Files.size(p) > MAX_TEXT_BYTES) {
                    // Not read into memory to find the line: a text file this large is not one CPython installs.
                    problems.add(root.relativize(p) + ": a text file of " + (Files.size(p) >> 20) + " MiB names it");
                    continue;
                }
                byte[] bytes = Files.readAllBytes(p);
                String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i];
                    if (line.contains(plan.prefix()) && !isConfigArgs(line)) {
                        String shown = line.strip();
                        problems.add(root.relativize(p) + ":" + (i + 1) + ": "
                                + (shown.length() > 100 ? shown.substring(0, 97) + "..." : shown));
                        break;
                    }
                }
            }
        }
        return Check.of("install-prefix", PREFIX_WHAT, withMore(problems, 10), "none names " + plan.prefix());
    }

    private static boolean isConfigArgs(String line) {
        String t = line.stripLeading();
        return t.startsWith("CONFIG_ARGS=") || t.startsWith("'CONFIG_ARGS':");
    }

    static List<String> withMore(List<String> problems, int max) {
        if (problems.size() <= max) {
            return problems;
        }
        List<String> out = new ArrayList<>(problems.subList(0, max));
        out.add("and " + (problems.size() - max) + " more");
        return out;
    }
}
