package dev.pyruntime.flags;

import java.util.ArrayList;
import java.util.List;

/**
 * Changes to a list of flags or configure arguments: {@code remove} first, then {@code add} at the end.
 * A remove entry ending in {@code *} removes every item starting with the rest ({@code -flto*}).
 *
 * @param add    items appended, in order, unless already present
 * @param remove items (or {@code prefix*} patterns) removed
 */
public record Edit(List<String> add, List<String> remove) {
    public static final Edit NONE = new Edit(List.of(), List.of());

    public boolean isEmpty() {
        return add.isEmpty() && remove.isEmpty();
    }

    public static boolean removes(String pattern, String value) {
        return pattern.endsWith("*") ? value.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(value);
    }

    /** Applies the edit; added items carry {@code origin}. */
    public List<Flag> apply(List<Flag> in, String origin) {
        List<Flag> out = new ArrayList<>();
        for (Flag f : in) {
            if (remove.stream().noneMatch(p -> removes(p, f.value()))) {
                out.add(f);
            }
        }
        for (String a : add) {
            if (out.stream().noneMatch(f -> f.value().equals(a))) {
                out.add(new Flag(a, origin));
            }
        }
        return out;
    }
}
