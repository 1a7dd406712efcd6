package dev.pyruntime.compile;

import dev.pyruntime.UserError;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.manifest.Suggest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Modules/Setup.local} for a plan's built-in modules. configure runs CPython's makesetup over Setup.local
 * first, then Setup.stdlib, and the first rule for a module wins: a module listed here under {@code *static*} is
 * compiled into libpython (and into an interpreter that links libpython's objects) instead of as
 * {@code lib-dynload/NAME.cpython-*.so}. Each rule is the release's own, copied from its
 * {@code Modules/Setup.stdlib.in} (CPython 3.11 and later), so the sources always match the release; makesetup adds
 * the compiler and linker flags configure found for the module.
 */
final class SetupLocal {
    static final String STDLIB_IN = "Modules/Setup.stdlib.in";
    static final String FILE = "Modules/Setup.local";

    /** {@code @MODULE__JSON_TRUE@_json _json.c}: a rule configure keeps when it finds what the module needs. */
    private static final Pattern RULE = Pattern.compile("(#?)@MODULE_[A-Z0-9_]+_TRUE@([A-Za-z_][A-Za-z0-9_]*)(\\s.*)");

    private SetupLocal() {
    }

    /**
     * The rules of the modules that may be built in, by name, from {@code Setup.stdlib.in}: those of its
     * {@code *@MODULE_BUILDTYPE@*} section (the section after a literal {@code *shared*} holds test and
     * limited-API modules that must stay shared libraries). A rule commented out there is one the release builds
     * with setup.py (3.11's _ctypes, readline, ...): it maps to null.
     */
    static Map<String, String> rules(String stdlibIn) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean buildType = false;
        for (String raw : stdlibIn.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*") && line.endsWith("*")) {
                buildType = line.equals("*@MODULE_BUILDTYPE@*");
                continue;
            }
            Matcher m = RULE.matcher(line);
            if (buildType && m.matches()) {
                out.putIfAbsent(m.group(2), m.group(1).isEmpty() ? m.group(2) + m.group(3).replaceAll("\\s+", " ") : null);
            }
        }
        return out;
    }

    /** Setup.local's text for {@code modules}, or the problems (unknown modules, ones that cannot be built in). */
    static String render(List<Flag> modules, Map<String, String> rules, String target, String version) throws UserError {
        List<String> problems = new ArrayList<>();
        StringBuilder out = new StringBuilder("# Written by python-runtime from the plan's builtinModules: these modules"
                + " are compiled into libpython.\n*static*\n");
        List<String> buildable = rules.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
        for (Flag module : modules) {
            String name = module.value();
            if (!rules.containsKey(name)) {
                problems.add("'" + name + "' (" + module.origin() + ") is not a module of CPython " + version + "'s "
                        + STDLIB_IN + Suggest.didYouMean(name, buildable));
            } else if (rules.get(name) == null) {
                problems.add("'" + name + "' (" + module.origin() + ") is commented out in CPython " + version + "'s "
                        + STDLIB_IN + " (this release builds it with setup.py), so it cannot be built in; remove it");
            } else {
                out.append(rules.get(name)).append('\n');
            }
        }
        hmacBesideHashes(modules, rules, version).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new UserError(target + ": builtinModules: " + String.join("; ", problems) + ". Modules CPython "
                    + version + " can build in: " + String.join(", ", buildable));
        }
        return out.toString();
    }

    /** The HACL* hash modules whose objects 3.14's {@code _hmac} rule links as well. */
    private static final List<String> HACL_HASHES = List.of("_md5", "_sha1", "_sha2", "_sha3", "_blake2");

    /**
     * From 3.14, {@code _hmac}'s rule links the objects of every HACL* hash (its LDFLAGS are LIBHACL_HMAC_OBJS, which
     * include MD5's, SHA-1's, SHA-2's, SHA-3's and BLAKE2's), so built in beside one of the hash modules the
     * interpreter's link fails with a screen of "multiple definition of ..." errors at make's end: say so up front.
     */
    private static java.util.Optional<String> hmacBesideHashes(List<Flag> modules, Map<String, String> rules, String version) {
        Flag hmac = modules.stream().filter(m -> m.value().equals("_hmac")).findFirst().orElse(null);
        List<String> hashes = modules.stream().map(Flag::value).filter(HACL_HASHES::contains).toList();
        if (hmac == null || hashes.isEmpty() || rules.get("_hmac") == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("'_hmac' (" + hmac.origin() + ") links the HACL* objects of " + String.join(", ", hashes)
                + " again in CPython " + version + ", so with them built in the link fails with \"multiple definition\" "
                + "errors; build in either _hmac or the hash modules, not both");
    }

    /**
     * Writes {@code Modules/Setup.local} into the unpacked source {@code tree} before configure, or nothing when
     * {@code modules} is empty.
     */
    static void write(Path tree, List<Flag> modules, String target, String version) throws UserError, IOException {
        if (modules.isEmpty()) {
            return;
        }
        Path stdlib = tree.resolve(STDLIB_IN);
        if (!Files.isRegularFile(stdlib)) {
            throw new UserError(target + ": builtinModules needs CPython 3.11 or later (" + STDLIB_IN + " lists the "
                    + "modules' rules), and " + version + " has none; limit the modules to such targets with an override "
                    + "'when: { version: \">=3.11\" }'");
        }
        String text = render(modules, rules(Files.readString(stdlib)), target, version);
        Files.writeString(tree.resolve(FILE), text);
    }
}
