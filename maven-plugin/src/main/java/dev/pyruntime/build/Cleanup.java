package dev.pyruntime.build;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what the manifest's cleanup rules name from an installed tree. Rules are globs relative to the tree
 * ({@code **} crosses directories and also matches none); a rule ending in {@code /} matches directories only.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /** Deletes every match; returns the relative paths removed, in order. */
    public static List<String> apply(Path tree, List<String> rules) throws IOException {
        List<Rule> compiled = rules.stream().map(Rule::of).toList();
        List<Path> doomed = new ArrayList<>();
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(tree) && compiled.stream().anyMatch(r -> r.matches(tree.relativize(dir), true))) {
                    doomed.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (compiled.stream().anyMatch(r -> r.matches(tree.relativize(file), false))) {
                    doomed.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        doomed.sort(null);
        List<String> removed = new ArrayList<>();
        for (Path p : doomed) {
            delete(p);
            removed.add(tree.relativize(p).toString());
        }
        return removed;
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

    private record Rule(List<PathMatcher> matchers, boolean dirsOnly) {
        static Rule of(String rule) {
            boolean dirs = rule.endsWith("/");
            String glob = dirs ? rule.substring(0, rule.length() - 1) : rule;
            List<PathMatcher> m = new ArrayList<>();
            m.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            if (glob.startsWith("**/")) {
                m.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
            }
            return new Rule(List.copyOf(m), dirs);
        }

        boolean matches(Path relative, boolean isDir) {
            return (isDir || !dirsOnly) && matchers.stream().anyMatch(x -> x.matches(relative));
        }
    }
}
