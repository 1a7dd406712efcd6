package dev.pyruntime.maven;

import dev.pyruntime.manifest.Suggest;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code python-runtime.*} property that no goal reads is a typo ({@code -Dpython-runtime.target=...}), and Maven
 * would ignore it silently: {@code mvn verify} would then start a release build of every target. The goals refuse
 * them, with the closest known name.
 */
final class UnknownProperties {
    /** Names of the namespace that are not goal parameters: the manifest parent's plugin version. */
    static final Set<String> NOT_PARAMETERS = Set.of(Properties.PREFIX + "version");

    private UnknownProperties() {
    }

    /** Every property a goal reads ({@link Properties}' constants). */
    static Set<String> known() {
        Set<String> out = new TreeSet<>(NOT_PARAMETERS);
        for (Field f : Properties.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("PREFIX")) {
                try {
                    String name = (String) f.get(null);
                    // Maven's own properties a goal also reads (maven.deploy.skip) are not ours to check.
                    if (name.startsWith(Properties.PREFIX)) {
                        out.add(name);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /**
     * One line per unknown name, empty when all are known.
     *
     * @param names each property name with where it was set ({@code -D} or the POM's {@code <properties>})
     */
    static List<String> problems(Map<String, String> names) {
        Set<String> known = known();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : names.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(Properties.PREFIX) && !known.contains(name)) {
                // Compared without the common prefix, which would make every name look close to every other.
                List<String> suffixes = known.stream().map(k -> k.substring(Properties.PREFIX.length())).toList();
                out.add(e.getValue() + ": no goal of python-runtime reads '" + name + "'"
                        + Suggest.closest(name.substring(Properties.PREFIX.length()), suffixes)
                        .map(s -> "; did you mean '" + Properties.PREFIX + s + "'?")
                        .orElse("; the properties are " + String.join(", ", known)));
            }
        }
        return out;
    }
}
