package dev.pyruntime.verify;

import dev.pyruntime.flags.Flag;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Hardening checks over every ELF file of the tree (interpreter, libpython, extension modules), judged against what the
 * plan asked for.
 *
 * <p>Stack protection and FORTIFY_SOURCE leave evidence only where the compiler found something to protect: every
 * sizeable object has {@code __stack_chk_fail} and {@code __*_chk} calls, but a small extension module may have none and
 * still be built with the flags. So those two are required of the object that holds the interpreter's code
 * (libpython, or the interpreter when it is linked statically) and counted, not required, for the rest.
 */
final class ElfChecks {
    private ElfChecks() {
    }

    /** The loadable ELF files of {@code root} (executables and shared objects) by relative path, in order, with their facts. */
    static Map<String, ElfFacts> scan(Path root) throws IOException {
        List<String> unreadable = new ArrayList<>();
        Map<String, ElfFacts> out = scan(root, unreadable);
        if (!unreadable.isEmpty()) {
            throw new IOException(unreadable.get(0));
        }
        return out;
    }

    /**
     * As {@link #scan(Path)}, for a tree nobody vouches for: a file with the ELF magic whose headers do not parse (a
     * truncated or crafted one) is added to {@code unreadable}, with why, instead of failing the scan.
     */
    static Map<String, ElfFacts> scan(Path root, List<String> unreadable) throws IOException {
        Map<String, ElfFacts> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                if (ElfFacts.isElf(p)) {
                    ElfFacts facts;
                    try {
                        facts = ElfFacts.read(p);
                    } catch (IOException e) {
                        unreadable.add(root.relativize(p) + ": " + String.valueOf(e.getCause() != null
                                ? e.getCause() : e.getMessage()));
                        continue;
                    }
                    if (facts.loadable()) {
                        out.put(root.relativize(p).toString(), facts);
                    }
                }
            }
        }
        return out;
    }

    /** The ids of the checks {@link #run} reports for a tree with an interpreter, in their order. */
    static final List<String> IDS = List.of("elf-relro", "elf-bindnow", "elf-nx-stack", "elf-pie", "elf-textrel",
            "elf-runpath", "elf-stack-protector", "elf-fortify");

    /** The one check {@link #run} reports instead when the interpreter is missing or not ELF. */
    static final String FILES_ID = "elf-files";

    static List<Check> run(BuildPlan plan, Map<String, ElfFacts> elves) {
        String interpreter = "bin/" + plan.interpreter();
        String main = elves.keySet().stream().filter(k -> k.startsWith("lib/libpython") && k.contains(".so")).findFirst()
                .orElse(interpreter);
        List<Check> out = new ArrayList<>();
        if (!elves.containsKey(interpreter)) {
            out.add(Check.fail(FILES_ID, "the interpreter is an ELF file", interpreter + " is missing or not ELF"));
            return out;
        }
        String n = elves.size() + " ELF files";
        out.add(all("elf-relro", "PT_GNU_RELRO on every ELF file", elves, ElfFacts::relro, "no PT_GNU_RELRO", n));
        if (has(plan, "LDFLAGS", f -> f.equals("-Wl,-z,now") || f.matches("-Wl,.*-z,now.*"))) {
            out.add(all("elf-bindnow", "BIND_NOW on every ELF file (the plan links with -z now)", elves,
                    ElfFacts::bindNow, "no BIND_NOW", n));
        } else {
            out.add(Check.skipped("elf-bindnow", "BIND_NOW", "the plan does not link with -Wl,-z,now"));
        }
        out.add(all("elf-nx-stack", "non-executable stack on every ELF file", elves, ElfFacts::nxStack,
                "executable or missing PT_GNU_STACK", n));
        out.add(elves.get(interpreter).pie() ? Check.pass("elf-pie", "the interpreter is PIE", interpreter)
                : Check.fail("elf-pie", "the interpreter is PIE", interpreter + " is not position-independent"));
        out.add(all("elf-textrel", "no text relocations", elves, f -> !f.textrel(), "has TEXTREL", n));
        out.add(all("elf-runpath", "RUNPATH and RPATH only $ORIGIN-relative", elves,
                f -> Stream.concat(f.runpath().stream(), f.rpath().stream())
                        .allMatch(r -> r.startsWith("$ORIGIN") || r.startsWith("${ORIGIN}")),
                "has a RUNPATH or RPATH that is not $ORIGIN-relative", n));
        long modulesWith = elves.values().stream().filter(ElfFacts::stackProtector).count();
        if (has(plan, "EXTRA_CFLAGS", f -> f.startsWith("-fstack-protector"))) {
            out.add(elves.get(main).stackProtector()
                    ? Check.pass("elf-stack-protector", "stack protector in " + main, "__stack_chk_fail in " + main + "; "
                    + modulesWith + " of " + elves.size() + " ELF files have protected functions")
                    : Check.fail("elf-stack-protector", "stack protector in " + main, main + " does not use __stack_chk_fail"));
        } else {
            out.add(Check.skipped("elf-stack-protector", "stack protector", "the plan's EXTRA_CFLAGS have no -fstack-protector*"));
        }
        if (has(plan, "CPPFLAGS", f -> f.matches("-D_FORTIFY_SOURCE=[1-9]"))) {
            List<String> chk = elves.get(main).fortified();
            long fortifiedFiles = elves.values().stream().filter(f -> !f.fortified().isEmpty()).count();
            out.add(!chk.isEmpty()
                    ? Check.pass("elf-fortify", "FORTIFY_SOURCE in " + main, chk.size() + " __*_chk functions in " + main
                    + "; " + fortifiedFiles + " of " + elves.size() + " ELF files use them")
                    : Check.fail("elf-fortify", "FORTIFY_SOURCE in " + main, main + " uses no __*_chk function; are CPPFLAGS "
                    + "reaching the compiler?"));
        } else {
            out.add(Check.skipped("elf-fortify", "FORTIFY_SOURCE", "the plan's CPPFLAGS have no -D_FORTIFY_SOURCE"));
        }
        return out;
    }

    private static boolean has(BuildPlan plan, String variable, Predicate<String> flag) {
        List<Flag> flags = plan.flags().getOrDefault(variable, List.of());
        return flags.stream().map(Flag::value).anyMatch(flag);
    }

    private static Check all(String id, String what, Map<String, ElfFacts> elves, Predicate<ElfFacts> ok, String bad,
                             String passDetail) {
        List<String> problems = elves.entrySet().stream().filter(e -> !ok.test(e.getValue()))
                .map(e -> e.getKey() + ": " + bad).toList();
        return Check.of(id, what, LayoutChecks.withMore(problems, 10), passDetail);
    }
}
