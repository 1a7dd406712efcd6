package dev.pyruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's packages point one way: each may use only the packages before it in {@link #ORDER} (and the root
 * package, which uses none of them). So there is no cycle, hidden or not, and a newcomer can read the core in this
 * order. A reference is any {@code dev.pyruntime.<package>.} in a source file: an import, a fully qualified name or a
 * javadoc link.
 */
class PackageDirectionTest {
    static final List<String> ORDER = List.of("sign", "env", "flags", "manifest", "plan", "source", "compile", "archive",
            "verify", "publish");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.pyruntime\\.([a-z]+)\\.");
    private static final Path SOURCES = Path.of("src/main/java/dev/pyruntime");

    @Test
    void everyPackageUsesOnlyThePackagesBeforeIt() throws IOException {
        List<String> wrong = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Path rel = SOURCES.relativize(f);
                String from = rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
                seen.add(from);
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    String to = m.group(1);
                    if (to.equals(from)) {
                        continue;
                    }
                    boolean allowed = !from.isEmpty() && ORDER.contains(to)
                            && ORDER.indexOf(to) < ORDER.indexOf(from);
                    if (!allowed) {
                        wrong.add(rel + " uses dev.pyruntime." + to);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "each package may use only those before it in " + ORDER);
        seen.remove("");
        assertEquals(new TreeSet<>(ORDER), seen, "every package of the core is placed in the order, and no other");
    }
}
