package dev.pyruntime.flags;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a target's flags in the documented order: the vendor's {@code dpkg-buildflags}, then each policy layer
 * (build defaults, matching overrides in file order, profiles), then what the plugin itself needs. Every flag keeps
 * its origin; exact duplicates are dropped; conflicts with CPython's own build are reported.
 */
public final class FlagResolver {
    private static final Pattern PREFIX_MAP = Pattern.compile("-f(file|debug|macro)-prefix-map=(.*)=\\.");
    private static final Pattern OPT_LEVEL = Pattern.compile("-O([0-3sgz]|fast)?");

    private FlagResolver() {
    }

    /**
     * A named set of edits.
     *
     * @param origin how the flags it adds are labelled
     * @param edits  what it changes per flag set
     */
    public record Layer(String origin, Map<FlagKind, Edit> edits) {
    }

    /**
     * The outcome.
     *
     * @param flags       the flags per set, in order
     * @param diagnostics what a user should know about them
     */
    public record Resolved(Map<FlagKind, List<Flag>> flags, List<Diagnostic> diagnostics) {
    }

    /**
     * @param vendor    what dpkg-buildflags answered, or null when the manifest uses {@code from: none}
     * @param buildDir  the directory the build runs in, as the build environment sees it
     * @param layers    policy layers in order
     * @param plugin    flags the plugin adds last (such as the relocation rpath)
     * @param configure the resolved configure arguments (for the LTO check)
     * @param accepted  check ids the manifest accepts
     */
    public static Resolved resolve(VendorFlags vendor, String buildDir, List<Layer> layers, Map<FlagKind, List<Flag>> plugin,
                                   List<String> configure, Set<String> accepted) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Map<FlagKind, List<Flag>> out = new EnumMap<>(FlagKind.class);
        for (FlagKind kind : FlagKind.values()) {
            List<Flag> flags = new ArrayList<>();
            if (vendor != null) {
                String origin = "dpkg-buildflags (" + vendor.origin(kind) + ")";
                Set<String> seen = new LinkedHashSet<>();
                for (String token : vendor.tokens(kind)) {
                    String value = normalisePrefixMap(token, vendor.cwd(), buildDir);
                    if (!seen.add(value)) {
                        diagnostics.add(new Diagnostic(FlagCheck.DUPLICATE_FLAG.id(), "info", kind.dpkgName()
                                + ": dpkg-buildflags lists " + value + " more than once; the duplicate was dropped"));
                        continue;
                    }
                    flags.add(new Flag(value, origin));
                }
            }
            for (Layer layer : layers) {
                Edit edit = layer.edits().get(kind);
                if (edit != null) {
                    flags = edit.apply(flags, layer.origin());
                }
            }
            for (Flag f : plugin.getOrDefault(kind, List.of())) {
                if (flags.stream().noneMatch(x -> x.value().equals(f.value()))) {
                    flags.add(f);
                }
            }
            out.put(kind, List.copyOf(flags));
        }
        check(out, configure, accepted, diagnostics);
        return new Resolved(java.util.Collections.unmodifiableMap(out), List.copyOf(diagnostics));
    }

    /** dpkg prints {@code -ffile-prefix-map=<cwd>=.} for the directory it ran in; the build runs in buildDir. */
    public static String normalisePrefixMap(String token, String cwd, String buildDir) {
        Matcher m = PREFIX_MAP.matcher(token);
        if (m.matches() && m.group(2).equals(cwd)) {
            return "-f" + m.group(1) + "-prefix-map=" + buildDir + "=.";
        }
        return token;
    }

    private static void check(Map<FlagKind, List<Flag>> flags, List<String> configure, Set<String> accepted,
                              List<Diagnostic> out) {
        for (Flag f : flags.get(FlagKind.CFLAGS)) {
            if (OPT_LEVEL.matcher(f.value()).matches()) {
                report(out, accepted, FlagCheck.OPTIMIZATION_LEVEL, "EXTRA_CFLAGS has " + f.value() + " (from "
                        + f.origin() + "); CPython puts EXTRA_CFLAGS after its own OPT (-O3), so " + f.value()
                        + " wins", "remove it with cflags: { remove: [" + f.value() + "] }");
            }
        }
        boolean withLto = configure.stream().anyMatch(a -> a.equals("--with-lto") || a.startsWith("--with-lto="));
        if (withLto) {
            for (FlagKind kind : FlagKind.values()) {
                for (Flag f : flags.get(kind)) {
                    if (f.origin().startsWith("dpkg-buildflags") && (f.value().startsWith("-flto")
                            || f.value().equals("-ffat-lto-objects"))) {
                        report(out, accepted, FlagCheck.VENDOR_LTO, kind.makeVariable() + " has " + f.value()
                                + " from dpkg-buildflags next to --with-lto, which sets CPython's own LTO flags",
                                "remove it with " + kind.manifestKey() + ": { remove: [\"-flto*\", -ffat-lto-objects] }");
                    }
                }
            }
        }
        for (FlagKind kind : FlagKind.values()) {
            List<Flag> list = flags.get(kind);
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    if (negates(list.get(i).value(), list.get(j).value())) {
                        report(out, accepted, FlagCheck.CONTRADICTING_FLAGS, kind.makeVariable() + " has both "
                                + list.get(i).value() + " (from " + list.get(i).origin() + ") and " + list.get(j).value()
                                + " (from " + list.get(j).origin() + "); the last one, " + list.get(j).value()
                                + ", wins", "remove the one you do not want");
                    }
                }
            }
        }
    }

    /** {@code -fX} against {@code -fno-X} (and {@code -m}, {@code -W}), in either order. */
    static boolean negates(String a, String b) {
        for (String p : List.of("-f", "-m", "-W")) {
            if (a.startsWith(p) && b.startsWith(p)) {
                String x = a.substring(2);
                String y = b.substring(2);
                return x.equals("no-" + y) || y.equals("no-" + x);
            }
        }
        return false;
    }

    private static void report(List<Diagnostic> out, Set<String> accepted, FlagCheck check, String finding, String fix) {
        boolean ok = accepted.contains(check.id());
        out.add(new Diagnostic(check.id(), ok ? "info" : "warning", ok ? finding + " (accepted by the manifest)"
                : finding + ". To change it, " + fix + "; to keep it quietly, add accept: [" + check.id() + "]"));
    }
}
