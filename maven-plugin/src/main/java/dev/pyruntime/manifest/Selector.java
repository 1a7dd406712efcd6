package dev.pyruntime.manifest;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code when:} of an override: every listed dimension must match (an empty list matches all).
 *
 * @param versions version selectors, any of which may match
 * @param distros  distro ids or globs ({@code ubuntu-*})
 * @param arches   arch names or globs
 * @param profiles profile names; the override applies only while one of them is active
 */
public record Selector(List<VersionSpec> versions, List<String> distros, List<String> arches, List<String> profiles) {

    public boolean matches(PythonVersion version, String distro, String arch, List<String> activeProfiles) {
        return matchesTarget(version, distro, arch)
                && (profiles.isEmpty() || profiles.stream().anyMatch(activeProfiles::contains));
    }

    /** Whether the selector matches the target, whatever the profile. */
    public boolean matchesTarget(PythonVersion version, String distro, String arch) {
        return (versions.isEmpty() || versions.stream().anyMatch(v -> v.matches(version)))
                && (distros.isEmpty() || distros.stream().anyMatch(g -> glob(g, distro)))
                && (arches.isEmpty() || arches.stream().anyMatch(g -> glob(g, arch)));
    }

    /** Shell-style glob with {@code *} and {@code ?}. */
    public static boolean glob(String pattern, String text) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return text.matches(re.toString());
    }
}
