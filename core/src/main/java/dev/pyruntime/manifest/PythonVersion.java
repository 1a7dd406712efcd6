package dev.pyruntime.manifest;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CPython release version: {@code 3.13.5}, or a pre-release such as {@code 3.14.0rc1}.
 *
 * @param major major number
 * @param minor minor number
 * @param micro micro (patch) number
 * @param pre   pre-release tag ({@code a1}, {@code b2}, {@code rc1}) or empty for a final release
 */
public record PythonVersion(int major, int minor, int micro, String pre) implements Comparable<PythonVersion> {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})((?:a|b|rc)\\d{1,3})?");
    private static final Comparator<PythonVersion> ORDER = Comparator.comparingInt(PythonVersion::major)
            .thenComparingInt(PythonVersion::minor).thenComparingInt(PythonVersion::micro)
            .thenComparing(PythonVersion::preRank);

    public static Optional<PythonVersion> parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new PythonVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), m.group(4) == null ? "" : m.group(4)));
    }

    /** {@code 3.13} for 3.13.5: the series a release belongs to. */
    public String series() {
        return major + "." + minor;
    }

    public boolean isFinal() {
        return pre.isEmpty();
    }

    /** Final releases sort after their pre-releases: a &lt; b &lt; rc &lt; final. */
    private String preRank() {
        if (pre.isEmpty()) {
            return "z";
        }
        String kind = pre.replaceAll("\\d", "");
        int number = Integer.parseInt(pre.replaceAll("\\D", ""));
        return (kind.equals("rc") ? "c" : kind) + String.format("%03d", number);
    }

    @Override
    public int compareTo(PythonVersion o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + micro + pre;
    }
}
