package dev.pyruntime.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version selector: comma-separated clauses that must all hold.
 * <ul>
 *   <li>{@code 3.11.2} or {@code ==3.11.2}: exactly that release;</li>
 *   <li>{@code 3.11}, {@code 3.11.*}, {@code 3.*}: every release of that series;</li>
 *   <li>{@code >=3.12}, {@code <3.13}, {@code >3.11.4}, {@code <=3.13.5}, {@code !=3.12.0}: comparisons. A bound
 *       with two parts compares series ({@code >=3.12} includes 3.12.0rc1), one with three parts compares
 *       releases.</li>
 * </ul>
 */
public final class VersionSpec {
    private static final Pattern CLAUSE = Pattern.compile("(>=|<=|==|!=|>|<)?\\s*(\\d{1,3}(?:\\.\\d{1,3}){0,2}(?:(?:a|b|rc)\\d{1,3})?)(\\.\\*)?");

    private record Clause(String op, int[] parts, PythonVersion exact, boolean wildcard) {
        boolean test(PythonVersion v) {
            int cmp = exact != null ? v.compareTo(exact) : comparePrefix(v);
            return switch (op) {
                case ">=" -> cmp >= 0;
                case "<=" -> cmp <= 0;
                case ">" -> cmp > 0;
                case "<" -> cmp < 0;
                case "!=" -> cmp != 0;
                default -> cmp == 0;
            };
        }

        private int comparePrefix(PythonVersion v) {
            int[] have = {v.major(), v.minor(), v.micro()};
            for (int i = 0; i < parts.length; i++) {
                int c = Integer.compare(have[i], parts[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }
    }

    private final String text;
    private final List<Clause> clauses;

    private VersionSpec(String text, List<Clause> clauses) {
        this.text = text;
        this.clauses = clauses;
    }

    /** Parses a selector, or returns why it is malformed. */
    public static Result parse(String text) {
        List<Clause> clauses = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String part = raw.trim();
            Matcher m = CLAUSE.matcher(part);
            if (part.isEmpty() || !m.matches()) {
                return new Result(null, "'" + part + "' is not a version selector; write e.g. 3.11.2, 3.11.*, >=3.12 or >=3.10,<3.13");
            }
            String op = m.group(1) == null ? "==" : m.group(1);
            String version = m.group(2);
            boolean wildcard = m.group(3) != null;
            Optional<PythonVersion> full = PythonVersion.parse(version);
            if (wildcard && (full.isPresent() || !version.matches("[\\d.]+"))) {
                return new Result(null, "'" + part + "': a wildcard goes after a series, as in 3.11.*");
            }
            if (wildcard && !op.equals("==") && !op.equals("!=")) {
                return new Result(null, "'" + part + "': a wildcard cannot be combined with " + op + "; write " + op + version);
            }
            if (full.isEmpty() && !version.matches("\\d{1,3}(\\.\\d{1,3})?")) {
                return new Result(null, "'" + part + "': a pre-release needs a full version, as in 3.14.0rc1");
            }
            int[] parts = full.isPresent() ? null
                    : java.util.Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
            clauses.add(new Clause(op, parts, full.orElse(null), wildcard));
        }
        return new Result(new VersionSpec(text, List.copyOf(clauses)), null);
    }

    /**
     * The outcome of {@link #parse(String)}.
     *
     * @param spec  the selector, or null when malformed
     * @param error why it is malformed, or null
     */
    public record Result(VersionSpec spec, String error) {
    }

    public boolean matches(PythonVersion version) {
        return clauses.stream().allMatch(c -> c.test(version));
    }

    @Override
    public String toString() {
        return text;
    }
}
