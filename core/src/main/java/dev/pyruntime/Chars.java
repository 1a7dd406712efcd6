package dev.pyruntime;

/**
 * How messages name a character and show a value that may hold control characters, so that a refusal of a manifest
 * value, a tar entry name or a command argument reads the same everywhere and never prints a raw NUL or line feed.
 */
public final class Chars {
    private Chars() {
    }

    /** Whether {@code c} is a control character: C0 (U+0000 to U+001F), DEL or C1 (U+0080 to U+009F). */
    public static boolean isControl(int c) {
        return Character.isISOControl(c);
    }

    /** The index of the first control character of {@code s}, or -1. */
    public static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The first control character of {@code s}, named as {@link #name} does, or null when there is none. */
    public static String controlProblem(String s) {
        int i = firstControl(s);
        return i < 0 ? null : name(s.charAt(i));
    }

    /** A character as a message names it: {@code the character U+000A (a line feed)}, {@code the character '|' (U+007C)}. */
    public static String name(int c) {
        String code = String.format("U+%04X", c);
        String what = switch (c) {
            case 0 -> "a NUL";
            case '\t' -> "a tab";
            case '\n' -> "a line feed";
            case '\r' -> "a carriage return";
            case ' ' -> "a space";
            default -> isControl(c) ? "a control character" : null;
        };
        if (what != null) {
            return "the character " + code + " (" + what + ")";
        }
        return "the character '" + new String(Character.toChars(c)) + "' (" + code + ")";
    }

    /** A value as a one-line message shows it: control characters as {@code <U+000A>}. */
    public static String shown(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (isControl(c)) {
                b.append(String.format("<U+%04X>", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
