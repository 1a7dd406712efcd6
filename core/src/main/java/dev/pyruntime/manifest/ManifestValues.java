package dev.pyruntime.manifest;

import dev.pyruntime.Chars;
import java.util.ArrayList;
import java.util.List;

/**
 * How the manifest's values are checked wherever they stand: placeholders of a template, bounded integers, plain file
 * names, URLs, paths and checksums. Static, so every section reader uses the same rules.
 */
final class ManifestValues {
    private ManifestValues() {
    }

    static final String PLACEHOLDER = "\\{[A-Za-z]+\\}";
    static final String FILE_NAME_CHARS = "A-Za-z0-9._+-";
    static final String PATH_CHARS = FILE_NAME_CHARS + "/";

    /**
     * Why a file-name template would not expand to a plain file name, or null when it does. The placeholders' values
     * (versions, distro ids, arches) are checked where they are read, so the literal text decides.
     */
    static String plainFileNameProblem(String template) {
        String shape = template.replaceAll(PLACEHOLDER, "x");
        if (shape.indexOf('/') >= 0 || shape.indexOf('\\') >= 0) {
            return "'/' makes it a path";
        }
        int bad = firstOutside(shape, FILE_NAME_CHARS);
        if (bad >= 0) {
            return Chars.name(shape.codePointAt(bad)) + " is not allowed (use letters, digits, '.', '_', '+' and '-')";
        }
        if (shape.startsWith(".") || shape.startsWith("-")) {
            return "it must begin with a letter, a digit or a placeholder";
        }
        return null;
    }

    /** Why a URL template cannot be a URL (a space or control character in it), naming the character, or null. */
    static String urlCharProblem(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return "a URL cannot hold " + Chars.name(c) + ", found '" + Chars.shown(url) + "' (percent-encode it, as %"
                        + String.format("%02X", (int) c) + ", or remove it)";
            }
        }
        return null;
    }

    /** The index of the first character of {@code s} outside the regex character class {@code allowed}, or -1. */
    static int firstOutside(String s, String allowed) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[^" + allowed + "]").matcher(s);
        return m.find() ? m.start() : -1;
    }

    static Template template(YamlValue v, List<String> fields, String fallback) {
        if (v == null) {
            return fallback == null ? null : new Template(fallback);
        }
        String s = v.string();
        if (s == null) {
            return null;
        }
        Template t = new Template(s);
        boolean ok = true;
        for (String f : t.fields()) {
            if (!fields.contains(f)) {
                v.error("unknown placeholder {" + f + "}"
                        + Suggest.closest(f, fields).map(x -> "; did you mean {" + x + "}?").orElse("")
                        + " (placeholders here: " + String.join(", ", fields.stream().map(x -> "{" + x + "}").toList()) + ")");
                ok = false;
            }
        }
        return ok ? t : null;
    }

    static int intOr(YamlValue v, int min, int max, int fallback) {
        if (v == null) {
            return fallback;
        }
        Integer i = v.integer(min, max);
        return i == null ? fallback : i;
    }

    /** What is wrong with a would-be sha256: its length, its first character that is not a hex digit, or both. */
    static String sha256Mistake(String sha) {
        List<String> parts = new ArrayList<>();
        if (sha.length() != 64) {
            parts.add(sha.length() + (sha.length() == 1 ? " character" : " characters"));
        }
        for (int i = 0; i < sha.length(); i++) {
            if ("0123456789abcdefABCDEF".indexOf(sha.charAt(i)) < 0) {
                parts.add("'" + sha.charAt(i) + "' at character " + (i + 1) + " is not a hex digit");
                break;
            }
        }
        return String.join("; ", parts);
    }
}
