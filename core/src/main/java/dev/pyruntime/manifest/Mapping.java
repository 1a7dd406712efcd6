package dev.pyruntime.manifest;

import dev.pyruntime.Chars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML mapping read key by key; {@link #finish(String...)} reports keys the schema does not allow, with a
 * "did you mean".
 */
final class Mapping {
    private final YamlValue self;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean merged;

    /** A key with its value. */
    record Entry(String key, Location keyAt, YamlValue value) {
    }

    Mapping(YamlValue self, MappingNode node, Problems problems) {
        this.self = self;
        for (NodeTuple tuple : node.getValue()) {
            var keyNode = tuple.getKeyNode();
            Location keyAt = new Location(keyNode.getStartMark().getLine() + 1, keyNode.getStartMark().getColumn() + 1);
            if (keyNode.getNodeId() != NodeId.scalar) {
                problems.error(keyAt, self.path(), "keys must be plain words, found a " + keyNode.getNodeId());
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            // Keys reach messages as they are: a line feed in one would forge a line of the build log.
            String childPath = self.path().isEmpty() ? Chars.shown(key) : self.path() + "." + Chars.shown(key);
            int control = Chars.firstControl(key);
            if (control >= 0) {
                problems.error(keyAt, childPath, "a key cannot hold " + Chars.name(key.charAt(control)) + ", found '"
                        + Chars.shown(key) + "'; remove it");
                continue;
            }
            if ("<<".equals(key)) {
                problems.error(keyAt, childPath, "YAML merge keys (<<) are not supported; write the keys out");
                merged = true;
                continue;
            }
            if (!YamlValue.PLAIN_TAGS.contains(keyNode.getTag())) {
                problems.error(keyAt, childPath, YamlValue.tagNotAllowed(keyNode.getTag()));
                continue;
            }
            Entry previous = entries.get(key);
            if (previous != null) {
                problems.error(keyAt, childPath, "duplicate key '" + Chars.shown(key) + "' (first defined at line "
                        + previous.keyAt().line() + "); keep one of them");
                continue;
            }
            entries.put(key, new Entry(key, keyAt, new YamlValue(tuple.getValueNode(), childPath, problems)));
        }
    }

    YamlValue self() {
        return self;
    }

    /** Whether the mapping had a (reported) merge key, so keys the merge was meant to bring in may be missing. */
    boolean merged() {
        return merged;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value of {@code key}, or null when absent (a null YAML value counts as absent). */
    YamlValue get(String key) {
        Entry e = entries.get(key);
        return e == null || e.value().isNull() ? null : e.value();
    }

    /**
     * The value of {@code key}; reports a missing key at the mapping, unless the mapping had a merge key (already
     * reported) that may have been meant to bring it in.
     */
    YamlValue require(String key, String hint) {
        YamlValue v = get(key);
        if (v == null && !merged) {
            self.error("missing required key '" + key + "'" + (hint == null ? "" : "; " + hint));
        }
        return v;
    }

    String string(String key, String fallback) {
        YamlValue v = get(key);
        if (v == null) {
            return fallback;
        }
        String s = v.string();
        return s == null ? fallback : s;
    }

    /** Every entry, for mappings whose keys are the user's names (distros, profiles). */
    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** Reports every key that is not one of {@code allowed}, suggesting the closest allowed key. */
    void finish(String... allowed) {
        List<String> allowedKeys = List.of(allowed);
        for (Entry e : entries.values()) {
            if (!allowedKeys.contains(e.key())) {
                self.problems().error(e.keyAt(), e.value().path(), "unknown key '" + Chars.shown(e.key()) + "'"
                        + Suggest.didYouMean(e.key(), allowedKeys) + " (allowed here: " + String.join(", ", allowedKeys) + ")");
            }
        }
    }
}
