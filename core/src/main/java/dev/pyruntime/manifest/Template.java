package dev.pyruntime.manifest;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A name template with {@code {placeholder}} fields, such as the archive name or the source URL. */
public record Template(String text) {
    private static final Pattern FIELD = Pattern.compile("\\{([^{}]*)}");

    /** The placeholder names the template uses, in order. */
    public Set<String> fields() {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = FIELD.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Fills every placeholder; the caller guarantees that validation checked the names. */
    public String expand(Map<String, String> values) {
        Matcher m = FIELD.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for {" + m.group(1) + "} in " + text);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
