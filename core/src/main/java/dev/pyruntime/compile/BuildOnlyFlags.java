package dev.pyruntime.compile;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Flags that only made sense for the runtime's own build, and that consumers' extension builds must not inherit
 * through sysconfig ({@code LDSHARED}, {@code CFLAGS}, {@code LDFLAGS}, ...): an rpath (ours is
 * {@code $ORIGIN/../lib}, which beside a consumer's module points nowhere), stripping, and the build directory's
 * {@code -f*-prefix-map}. {@code compile} removes them from the installed tree's sysconfig data and Makefile;
 * {@code verify} proves they are gone, and that every other flag of the plan is still there.
 *
 * <p>The rules are regular expressions that mean the same to Java and to Python's {@code re} (the relocation runs
 * in the built interpreter), each matched against one whitespace-separated token of every sysconfig and Makefile
 * value but {@code CONFIG_ARGS}. A bare {@code -s} is not one of them: CPython's own {@code STRIPFLAG} is {@code -s}.
 */
public final class BuildOnlyFlags {
    private BuildOnlyFlags() {
    }

    /** The rules for a tree whose build directory reads {@code buildDirPlaceholder} (see {@link BuildPaths}). */
    public static List<String> regexes(String buildDirPlaceholder) {
        return List.of(
                "-Wl,(-rpath|--rpath|-R)[,=].*",
                "-Wl,(--strip-all|--strip-debug|-s|-S)",
                "-f(file|debug|macro)-prefix-map=" + quote(buildDirPlaceholder) + "=.*");
    }

    /** Whether {@code token} (with make's and the shell's {@code \$} read as {@code $}) matches one of the rules. */
    public static boolean matches(List<String> regexes, String token) {
        String t = token.replace("\\$", "$");
        return regexes.stream().anyMatch(r -> Pattern.compile(r).matcher(t).matches());
    }

    /** Every character but letters, digits and '_' escaped with a backslash: literal for both regex dialects. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
