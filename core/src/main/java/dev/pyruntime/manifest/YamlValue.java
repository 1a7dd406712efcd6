package dev.pyruntime.manifest;

import dev.pyruntime.Chars;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A node of the composed YAML tree with its key path, read with type checks that report into {@link Problems}.
 * Values are read as the text the user wrote: {@code 3.10} stays "3.10", never the float 3.1.
 */
final class YamlValue {
    static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP,
            Tag.MAP, Tag.SEQ);

    private final Node node;
    private final String path;
    private final Problems problems;

    YamlValue(Node node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    Location at() {
        return new Location(node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    Problems problems() {
        return problems;
    }

    void error(String message) {
        problems.error(at(), path, message);
    }

    void warning(String message) {
        problems.warning(at(), path, message);
    }

    /** Whether the value is a mapping, without reporting anything when it is not. */
    boolean isMapping() {
        return node.getNodeId() == NodeId.mapping;
    }

    boolean isNull() {
        return node.getNodeId() == NodeId.scalar && node.getTag().equals(Tag.NULL);
    }

    /** True when the value carries a tag this loader will not honour, after reporting it. */
    private boolean badTag() {
        if (!PLAIN_TAGS.contains(node.getTag())) {
            error(tagNotAllowed(node.getTag()));
            return true;
        }
        return false;
    }

    /** The message for a tag this loader will not honour, naming it as written ({@code !!binary}, not its URI). */
    static String tagNotAllowed(Tag tag) {
        String name = tag.getValue().startsWith(Tag.PREFIX) ? "!!" + tag.getValue().substring(Tag.PREFIX.length())
                : tag.getValue();
        return "YAML tag '" + name + "' is not allowed; write the plain value without a tag";
    }

    String describe() {
        return switch (node.getNodeId()) {
            case mapping -> "a mapping";
            case sequence -> "a list";
            default -> isNull() ? "nothing (null)" : "'" + Chars.shown(((ScalarNode) node).getValue()) + "'";
        };
    }

    /**
     * The scalar text, or null (reported) when the value is not a scalar or holds a control character. Every value
     * becomes a path, a URL, a command argument or an environment variable, where a NUL truncates and a line feed
     * splits, so no value may hold one ({@link #prose} is for the few that are only shown).
     */
    String text(String expected) {
        return text(expected, false);
    }

    /** Free text that is only shown to people (a profile's description): tabs and line feeds are allowed. */
    String prose() {
        return text("a string", true);
    }

    private String text(String expected, boolean lines) {
        if (badTag()) {
            return null;
        }
        if (node.getNodeId() != NodeId.scalar || isNull()) {
            error("expected " + expected + ", found " + describe());
            return null;
        }
        String value = ((ScalarNode) node).getValue();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Chars.isControl(c) && !(lines && (c == '\n' || c == '\t'))) {
                error("a value cannot hold " + Chars.name(c) + ", found '" + Chars.shown(value) + "'; remove it"
                        + (c == '\n' ? " (a multi-line YAML string, '|' or '>', adds line feeds)" : ""));
                return null;
            }
        }
        return value;
    }

    String string() {
        String s = text("a string");
        if (s != null && s.isBlank()) {
            error("must not be empty");
            return null;
        }
        return s;
    }

    Integer integer(int min, int max) {
        String s = text("a whole number from " + min + " to " + max);
        if (s == null) {
            return null;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) {
                error("must be a whole number from " + min + " to " + max + ", found " + v);
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            error("expected a whole number from " + min + " to " + max + ", found '" + s + "'");
            return null;
        }
    }

    Boolean bool() {
        String s = text("true or false");
        if (s == null) {
            return null;
        }
        if (node.getTag().equals(Tag.BOOL) && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.toLowerCase(java.util.Locale.ROOT));
        }
        error("expected true or false, found '" + s + "'");
        return null;
    }

    /** The mapping, or null (reported) when the value is not one. */
    Mapping mapping() {
        if (badTag()) {
            return null;
        }
        if (node.getNodeId() != NodeId.mapping) {
            error("expected a mapping (key: value lines), found " + describe());
            return null;
        }
        return new Mapping(this, (MappingNode) node, problems);
    }

    /** The list items, or null (reported) when the value is not a list. */
    List<YamlValue> list() {
        if (badTag()) {
            return null;
        }
        if (node.getNodeId() != NodeId.sequence) {
            error("expected a list, found " + describe());
            return null;
        }
        List<YamlValue> items = new ArrayList<>();
        List<Node> nodes = ((SequenceNode) node).getValue();
        for (int i = 0; i < nodes.size(); i++) {
            items.add(new YamlValue(nodes.get(i), path + "[" + i + "]", problems));
        }
        return items;
    }

    /** A list, or a single scalar taken as a list of one ({@code arch: amd64} and {@code arch: [amd64]} alike). */
    List<YamlValue> oneOrMany() {
        if (node.getNodeId() == NodeId.scalar && !isNull()) {
            return List.of(this);
        }
        return list();
    }

    /** A list of non-empty strings; null items are reported and dropped. */
    List<String> strings() {
        List<YamlValue> items = list();
        return items == null ? List.of() : texts(items);
    }

    static List<String> texts(List<YamlValue> items) {
        List<String> out = new ArrayList<>();
        for (YamlValue item : items) {
            String s = item.string();
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
