package dev.pyruntime.manifest;

import java.util.List;

/**
 * The {@code when:} of an override: every listed dimension must match (an empty list matches all).
 *
 * @param versions version selectors, any of which may match
 * @param distros  distro ids or globs ({@code ubuntu-*})
 * @param arches   arch names or globs
 * @param variants variant names or globs ({@code default} is the build without a variant); a combination
 *                 ({@code freethreaded+debug}) matches its own name and each of its parts' ({@code debug})
 * @param profiles profile names; the override applies only while one of them is active
 */
public record Selector(List<VersionSpec> versions, List<String> distros, List<String> arches, List<String> variants,
                       List<String> profiles) {

    public boolean matches(PythonVersion version, String variant, String distro, String arch,
                           List<String> activeProfiles) {
        return matchesTarget(version, variant, distro, arch)
                && (profiles.isEmpty() || profiles.stream().anyMatch(activeProfiles::contains));
    }

    /** Whether the selector matches the target, whatever the profile. */
    public boolean matchesTarget(PythonVersion version, String variant, String distro, String arch) {
        return (versions.isEmpty() || versions.stream().anyMatch(v -> v.matches(version)))
                && (variants.isEmpty() || variants.stream().anyMatch(g -> glob(g, variant)
                        || java.util.Arrays.stream(variant.split("\\+")).anyMatch(part -> glob(g, part))))
                && (distros.isEmpty() || distros.stream().anyMatch(g -> glob(g, distro)))
                && (arches.isEmpty() || arches.stream().anyMatch(g -> glob(g, arch)));
    }

    /**
     * Shell-style glob, as the JDK's {@code glob:} syntax: {@code *}, {@code ?}, {@code [23]}, {@code [0-9]},
     * {@code [!a]}, {@code {a,b}}. A pattern that is not a valid glob (an unclosed {@code [}) matches only itself.
     */
    public static boolean glob(String pattern, String text) {
        if (text.contains("/")) {
            return false;
        }
        try {
            return java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(java.nio.file.Path.of(text));
        } catch (java.util.regex.PatternSyntaxException e) {
            return pattern.equals(text);
        }
    }
}
