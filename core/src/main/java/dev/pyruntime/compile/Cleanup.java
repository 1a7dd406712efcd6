package dev.pyruntime.compile;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes what the manifest's cleanup rules name from an installed tree. Rules are globs relative to the tree
 * ({@code **}{@code /} crosses any number of directories, also none); a rule ending in {@code /} matches directories
 * only. Links are removed, never followed.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /** Deletes every match; returns the relative paths removed, in order. */
    public static List<String> apply(Path tree, List<String> rules) throws IOException {
        List<String> removed = find(tree, rules);
        for (String p : removed) {
            delete(tree.resolve(p));
        }
        return removed;
    }

    /** The relative paths that match a rule (a matching directory is listed, not its content), in order. */
    public static List<String> find(Path tree, List<String> rules) throws IOException {
        List<Rule> compiled = rules.stream().map(Rule::of).toList();
        List<Path> matches = new ArrayList<>();
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(tree) && compiled.stream().anyMatch(r -> r.matches(tree.relativize(dir), true))) {
                    matches.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (compiled.stream().anyMatch(r -> r.matches(tree.relativize(file), false))) {
                    matches.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        matches.sort(null);
        return matches.stream().map(p -> tree.relativize(p).toString()).toList();
    }

    /** Deletes a file, link or whole directory tree (links are removed, never followed). */
    public static void delete(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(p)) {
                for (Path c : children.toList()) {
                    delete(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** A rule compiled to a regular expression over {@code /}-separated relative paths. */
    record Rule(Pattern pattern, boolean dirsOnly) {
        static Rule of(String rule) {
            boolean dirs = rule.endsWith("/");
            String glob = dirs ? rule.substring(0, rule.length() - 1) : rule;
            return new Rule(Pattern.compile(toRegex(glob)), dirs);
        }

        /** {@code **}{@code /} is any number of directories (also none), {@code **} anything, {@code *} and {@code ?} stay in one name. */
        static String toRegex(String glob) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (glob.startsWith("**/", i)) {
                    re.append("(?:[^/]*/)*");
                    i += 2;
                } else if (glob.startsWith("**", i)) {
                    re.append(".*");
                    i += 1;
                } else if (c == '*') {
                    re.append("[^/]*");
                } else if (c == '?') {
                    re.append("[^/]");
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return re.toString();
        }

        boolean matches(Path relative, boolean isDir) {
            return (isDir || !dirsOnly) && pattern.matcher(relative.toString()).matches();
        }
    }
}
