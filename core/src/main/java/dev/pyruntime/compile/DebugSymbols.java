package dev.pyruntime.compile;

import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ExecResult;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code archive.symbols: separate}: the runtime ships stripped, and its debug information goes to a companion tree
 * laid out as a {@code debug-file-directory} ({@code .build-id/xx/rest.debug}), as Debian's {@code -dbgsym} packages
 * are. The link keeps the debug information (no {@code -Wl,--strip-all}); after install, every ELF file's
 * {@code objcopy --only-keep-debug} copy goes under its build-id, then the file itself is {@code objcopy
 * --strip-all}ed in place. The stripped file is as large as the link would have made it with {@code --strip-all}; only
 * its build-id differs, as it is computed over the whole link, debug information included (so a build-id names the
 * debug information too, and no two builds with other line tables share one).
 */
public final class DebugSymbols {
    private DebugSymbols() {
    }

    /** The companion tree beside a target's staging tree. */
    public static Path dir(Path workDir) {
        return workDir.resolve("symbols");
    }

    /** What the linker takes as stripping (as -Wl,x or -Xlinker x), and what gcc's driver does (-s). */
    private static final Set<String> LINKER_STRIPS = Set.of("--strip-all", "--strip-debug", "-s", "-S");

    /**
     * Why {@code plan} cannot separate its symbols, or null: a link flag of it strips them first (in LDFLAGS, or in a
     * make variable that reaches a link: {@code LDFLAGS_NODIST}, {@code LDSHARED}, {@code LINKFORSHARED}, ...).
     * Asked of every plan before anything is built.
     */
    public static String conflict(BuildPlan plan) {
        if (plan.archive().symbols() == null) {
            return null;
        }
        for (Flag f : plan.flags().getOrDefault("LDFLAGS", List.of())) {
            String token = stripping(List.of(f.value().split("\\s+")));
            if (token != null) {
                return message(plan, "LDFLAGS", token, f.origin());
            }
        }
        for (var e : plan.make().entrySet()) {
            String name = e.getKey();
            if (name.contains("LDFLAGS") || name.contains("LDSHARED") || name.contains("LINKFORSHARED")) {
                String token = stripping(List.of(e.getValue().value().split("\\s+")));
                if (token != null) {
                    return message(plan, name, token, e.getValue().origin());
                }
            }
        }
        return null;
    }

    /** The first of {@code tokens} (a link command's arguments) that strips, or null. */
    static String stripping(List<String> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("-s")) {
                return t;
            }
            if (t.startsWith("-Wl,") && List.of(t.substring(4).split(",")).stream().anyMatch(LINKER_STRIPS::contains)) {
                return t;
            }
            if (t.equals("-Xlinker") && i + 1 < tokens.size() && LINKER_STRIPS.contains(tokens.get(i + 1))) {
                return t + " " + tokens.get(i + 1);
            }
        }
        return null;
    }

    private static String message(BuildPlan plan, String variable, String token, String origin) {
        return plan.target().id() + ": archive.symbols is 'separate', and " + variable + " has " + token + " (from "
                + origin + "), which strips the debug information at the link, leaving nothing to separate; remove "
                + "it: with symbols: separate the shipped files are stripped after the link, and what that takes out "
                + "goes to " + plan.archive().symbols();
    }

    /** What {@link #split} did. */
    public record Split(int files, int debugFiles, long debugBytes) {
    }

    /**
     * Moves the debug information of every ELF file under {@code staging} into {@code symbols}, by build-id, and
     * strips the files in place; each step is logged to {@code log}.
     *
     * @param objcopy the objcopy for the target's arch ({@code aarch64-linux-gnu-objcopy} for a cross build)
     */
    public static Split split(BuildEnvironment env, String objcopy, Path staging, Path symbols, String id, Path log)
            throws UserError, IOException {
        Cleanup.delete(symbols);
        Files.createDirectories(symbols);
        List<Path> elves;
        try (Stream<Path> s = Files.walk(staging)) {
            elves = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(RuntimeContents::isElf)
                    .sorted().toList();
        }
        Files.writeString(log, "");
        int debugFiles = 0;
        long debugBytes = 0;
        for (Path file : elves) {
            String rel = staging.relativize(file).toString();
            ElfDebug before = ElfDebug.read(file);
            if (!before.loadable()) {
                // A relocatable object is input to a consumer's link, which needs its symbols: as make install left it.
                Files.writeString(log, rel + " left as it is: not an executable or shared object\n",
                        java.nio.file.StandardOpenOption.APPEND);
                continue;
            }
            if (before.buildId() == null) {
                throw new UserError(id + ": " + rel + " has no build-id note, so no debugger could find its debug file; "
                        + "link with -Wl,--build-id (Debian's gcc passes it), or leave archive.symbols out");
            }
            Path debug = symbols.resolve(ElfDebug.debugPath(before.buildId()));
            if (!Files.exists(debug)) {
                // Two files with one build-id are one link's output twice (a copy): one debug file serves both.
                Files.createDirectories(debug.getParent());
                run(env, List.of(objcopy, "--only-keep-debug", file.toString(), debug.toString()), id, rel, log);
                Files.setPosixFilePermissions(debug, PosixFilePermissions.fromString("rw-r--r--"));
                debugFiles++;
                debugBytes += Files.size(debug);
            }
            run(env, List.of(objcopy, "--strip-all", file.toString()), id, rel, log);
            Files.writeString(log, rel + " " + before.buildId() + (before.debugInfo() ? "" : " (no DWARF)") + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        return new Split(elves.size(), debugFiles, debugBytes);
    }

    private static void run(BuildEnvironment env, List<String> command, String id, String rel, Path log)
            throws UserError, IOException {
        ExecResult r = env.run(command, Map.of(), log.getParent());
        if (!r.ok()) {
            throw new UserError(id + ": " + String.join(" ", command) + " failed (exit " + r.exitCode() + ") on " + rel
                    + ": " + dev.pyruntime.Logs.tail(r.stderr() + r.stdout(), 10).strip() + "; the files split so far "
                    + "are listed in " + log);
        }
    }
}
