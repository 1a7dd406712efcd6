package dev.pyruntime.manifest;

import dev.pyruntime.flags.Edit;
import dev.pyruntime.flags.FlagCheck;
import dev.pyruntime.flags.FlagKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what {@code build}, a profile and an override can change alike (an {@link Adjustment}): configure arguments,
 * flag edits, make variables, accepted checks, cleanup globs and module edits. Split from {@link ManifestReader},
 * which reads the rest of the manifest and calls this for those sections.
 */
final class AdjustmentReader {
    /** The keys of what build, a profile and an override can change. */
    static final String[] ADJUSTMENT_KEYS = {"configure", "cflags", "cppflags", "ldflags", "make", "accept", "cleanup",
            "builtinModules", "verifyModules"};
    /** A C extension module's name, as the first word of its rule in Modules/Setup.stdlib.in. */
    static final java.util.regex.Pattern EXTENSION = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final String EXTENSION_WHAT = "an extension module's name, such as _json or math";
    /** What an edit removes: a name, or names starting with a prefix ({@code _sha*}, {@code *} for all). */
    private static final java.util.regex.Pattern EXTENSION_GLOB = java.util.regex.Pattern.compile("[A-Za-z0-9_]*\\*|[A-Za-z_][A-Za-z0-9_]*");

    private final Problems problems;

    AdjustmentReader(Problems problems) {
        this.problems = problems;
    }

    /** The items of the list {@code v} that match {@code pattern}, added to {@code out}; each other is reported. */
    static void names(YamlValue v, java.util.regex.Pattern pattern, String expected, List<String> out) {
        if (v == null || v.list() == null) {
            return;
        }
        for (YamlValue item : v.list()) {
            String s = item.string();
            if (s != null && !pattern.matcher(s).matches()) {
                item.error("expected " + expected + ", found '" + s + "'");
            } else if (s != null) {
                out.add(s);
            }
        }
    }

    static boolean isEmpty(Adjustment a) {
        return a.configure().isEmpty() && a.flags().values().stream().allMatch(Edit::isEmpty) && a.make().isEmpty()
                && a.accept().isEmpty() && a.cleanup().isEmpty() && a.builtinModules().isEmpty()
                && a.verifyModules().isEmpty();
    }

    Adjustment adjustment(Mapping m) {
        Edit configure = edit(m.get("configure"), true);
        Map<FlagKind, Edit> flags = new EnumMap<>(FlagKind.class);
        for (FlagKind kind : FlagKind.values()) {
            Edit e = edit(m.get(kind.manifestKey()), false);
            if (e != null) {
                flags.put(kind, e);
            }
        }
        return new Adjustment(configure == null ? Edit.NONE : configure, java.util.Collections.unmodifiableMap(flags),
                make(m.get("make")), Set.copyOf(accept(m.get("accept"))), cleanup(m.get("cleanup")),
                builtinModules(m.get("builtinModules")), verifyModules(m.get("verifyModules")));
    }

    Edit edit(YamlValue v, boolean configure) {
        if (v == null) {
            return null;
        }
        Mapping m = v.mapping();
        if (m == null) {
            return null;
        }
        List<String> add = new ArrayList<>();
        YamlValue av = m.get("add");
        if (av != null && av.list() != null) {
            for (YamlValue item : av.list()) {
                String s = configure ? configureArg(item) : flag(item);
                if (s != null) {
                    add.add(s);
                }
            }
        }
        List<String> remove = new ArrayList<>();
        YamlValue rv = m.get("remove");
        if (rv != null && rv.list() != null) {
            for (YamlValue item : rv.list()) {
                String s = item.string();
                if (s != null) {
                    remove.add(s.trim());
                }
            }
        }
        m.finish("add", "remove");
        return new Edit(List.copyOf(add), List.copyOf(remove));
    }

    /** An override's or profile's {@code builtinModules: { add: [...], remove: [...] }}. */
    Edit builtinModules(YamlValue v) {
        return nameEdit(v, EXTENSION, EXTENSION_WHAT, EXTENSION_GLOB, EXTENSION_WHAT + ", or a prefix and '*' ('*' for all)");
    }

    /** An override's or profile's {@code verifyModules: { add: [...], remove: [...] }}: module names, dotted. */
    Edit verifyModules(YamlValue v) {
        return nameEdit(v, ManifestReader.MODULE, ManifestReader.MODULE_WHAT, ManifestReader.MODULE,
                ManifestReader.MODULE_WHAT);
    }

    /** {@code { add: [...], remove: [...] }} of names, each checked against its pattern. */
    private Edit nameEdit(YamlValue v, java.util.regex.Pattern addPattern, String addWhat,
                          java.util.regex.Pattern removePattern, String removeWhat) {
        Mapping m = v == null ? null : v.mapping();
        if (m == null) {
            return Edit.NONE;
        }
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        names(m.get("add"), addPattern, addWhat, add);
        names(m.get("remove"), removePattern, removeWhat, remove);
        m.finish("add", "remove");
        return new Edit(List.copyOf(add), List.copyOf(remove));
    }

    private String flag(YamlValue item) {
        String s = item.string();
        if (s == null) {
            return null;
        }
        if (!s.startsWith("-") || s.chars().anyMatch(Character::isWhitespace)) {
            item.error("a flag starts with '-' and holds no spaces (list each flag as its own item), found '" + s + "'");
            return null;
        }
        return s;
    }

    String configureArg(YamlValue item) {
        String s = item.string();
        if (s == null) {
            return null;
        }
        // VAR=value: a variable for configure, such as CPython's own py_cv_module__tkinter=n/a (leave a module out).
        if (!s.startsWith("--") && !s.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            item.error("a configure argument looks like --enable-shared or VAR=value, found '" + s + "'");
            return null;
        }
        for (String owned : List.of("--build", "--host", "--prefix")) {
            if (s.equals(owned) || s.startsWith(owned + "=")) {
                item.error(owned + " is set by the plugin (" + (owned.equals("--prefix") ? "from build.prefix"
                        : "from dpkg-architecture in the target's build environment") + "); remove it");
                return null;
            }
        }
        return s;
    }

    Map<String, String> make(YamlValue v) {
        Map<String, String> out = new LinkedHashMap<>();
        Mapping m = v == null ? null : v.mapping();
        if (m == null) {
            return Map.of();
        }
        for (Mapping.Entry e : m.entries()) {
            String name = e.key();
            FlagKind owned = java.util.Arrays.stream(FlagKind.values())
                    .filter(k -> k.makeVariable().equals(name) || k.dpkgName().equals(name)).findFirst().orElse(null);
            if (owned != null) {
                problems.error(e.keyAt(), e.value().path(), name + " is built from the flag policy; edit it with '"
                        + owned.manifestKey() + ": { add: [...], remove: [...] }' instead");
                continue;
            }
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.error(e.keyAt(), e.value().path(), "'" + name + "' is not a make variable name");
                continue;
            }
            // A control character is refused by text(): a line feed would end the make command line's variable.
            String value = e.value().isNull() ? "" : e.value().text("a string");
            if (value != null) {
                out.put(name, value);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    List<String> cleanup(YamlValue v) {
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        List<YamlValue> items = v.list();
        if (items == null) {
            return List.of();
        }
        for (YamlValue item : items) {
            String s = item.string();
            if (s == null) {
                continue;
            }
            if (s.startsWith("/") || List.of(s.split("/")).contains("..")) {
                item.error("cleanup rules are globs relative to the install prefix, without '..'; found '" + s + "'");
            } else {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    List<String> accept(YamlValue v) {
        List<String> out = new ArrayList<>();
        if (v == null || v.list() == null) {
            return out;
        }
        for (YamlValue item : v.list()) {
            String s = item.string();
            if (s == null) {
                continue;
            }
            if (!FlagCheck.ids().contains(s)) {
                item.error("unknown check '" + s + "'" + Suggest.didYouMean(s, FlagCheck.ids()) + " (checks: "
                        + String.join(", ", FlagCheck.ids()) + ")");
            } else {
                out.add(s);
            }
        }
        return out;
    }
}
