package dev.pyruntime.plan;

import dev.pyruntime.flags.Diagnostic;
import dev.pyruntime.flags.Flag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders targets and plans as aligned text tables for the build log. */
public final class PlanReport {
    private PlanReport() {
    }

    /** One line per selected target: planned, skipped or excluded, with the reason. */
    public static List<String> targets(List<TargetStatus> statuses) {
        List<String> lines = new ArrayList<>();
        int width = statuses.stream().mapToInt(s -> s.target().id().length()).max().orElse(10);
        long planned = statuses.stream().filter(TargetStatus::planned).count();
        long skipped = statuses.stream().filter(s -> s.state() == TargetStatus.State.SKIPPED).count();
        long excluded = statuses.size() - planned - skipped;
        lines.add("Targets: " + planned + " planned, " + skipped + " skipped, " + excluded + " excluded");
        for (TargetStatus s : statuses) {
            String state = s.state().name().toLowerCase(java.util.Locale.ROOT);
            lines.add("  " + pad(s.target().id(), width) + "  " + pad(state, 8) + (s.reason().isEmpty() ? "" : "  " + s.reason()));
        }
        return lines;
    }

    /** The plan as a table: every configure argument, flag, make variable and built-in module with its origin. */
    public static List<String> plan(BuildPlan plan) {
        List<String[]> rows = new ArrayList<>();
        for (Flag f : plan.configure()) {
            rows.add(new String[] {"configure", f.value(), f.origin()});
        }
        for (Map.Entry<String, List<Flag>> e : plan.flags().entrySet()) {
            if (e.getValue().isEmpty()) {
                rows.add(new String[] {e.getKey(), "(empty)", ""});
            }
            for (Flag f : e.getValue()) {
                rows.add(new String[] {e.getKey(), f.value(), f.origin()});
            }
        }
        plan.make().forEach((k, v) -> rows.add(new String[] {"make", k + "=" + v.value(), v.origin()}));
        // One row per origin: an override typically builds in a few dozen modules.
        rowPerOrigin("builtin", plan.builtinModules(), rows);
        rowPerOrigin("imports", plan.verifyModules(), rows);
        int c0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int c1 = Math.min(60, rows.stream().mapToInt(r -> r[1].length()).max().orElse(0));
        List<String> lines = new ArrayList<>();
        lines.add(plan.target().id() + " on " + plan.environment().description()
                + (plan.profiles().isEmpty() ? "" : ", profile " + String.join(",", plan.profiles()))
                + ", dpkg-dev " + plan.environment().dpkgVersion() + ", fingerprint " + plan.fingerprint().substring(0, 12));
        for (String[] r : rows) {
            lines.add("  " + pad(r[0], c0) + "  " + pad(r[1], c1) + "  " + r[2]);
        }
        lines.add("  " + pad("archive", c0) + "  " + plan.archive().name() + " (zstd " + plan.archive().zstdLevel()
                + ", window log " + plan.archive().windowLog() + ")" + (plan.archive().symbols() == null ? ""
                : "; debug files in " + plan.archive().symbols() + " (archive.symbols)"));
        return lines;
    }

    private static void rowPerOrigin(String label, List<Flag> modules, List<String[]> rows) {
        Map<String, List<String>> byOrigin = new java.util.LinkedHashMap<>();
        modules.forEach(f -> byOrigin.computeIfAbsent(f.origin(), o -> new ArrayList<>()).add(f.value()));
        byOrigin.forEach((origin, names) -> rows.add(new String[] {label, String.join(" ", names), origin}));
    }

    /** Diagnostics as log lines, warnings first. */
    public static List<String> diagnostics(BuildPlan plan, boolean warnings) {
        List<String> lines = new ArrayList<>();
        for (Diagnostic d : plan.diagnostics()) {
            if (d.isWarning() == warnings) {
                lines.add(plan.target().id() + ": [" + d.check() + "] " + d.message());
            }
        }
        return lines;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
