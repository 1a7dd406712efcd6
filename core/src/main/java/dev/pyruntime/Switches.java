package dev.pyruntime;

import java.util.Locale;

/**
 * How a true-or-false setting is read: {@code true} or {@code false} (in any case), and nothing else. A front end that
 * converts with {@code Boolean.valueOf} reads {@code maybe}, {@code yes} or {@code 1} as false without a word, so
 * {@code -Dpython-runtime.skip=yes} would run the goal; this refuses them, naming the setting.
 */
public final class Switches {
    private Switches() {
    }

    /**
     * @param name   the setting as the user names it, such as {@code python-runtime.skip}
     * @param value  its value as given, or null when it is not given
     * @param unset  the value when not given
     * @throws UserError when the value is neither true nor false
     */
    public static boolean parse(String name, String value, boolean unset) throws UserError {
        if (value == null) {
            return unset;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new UserError(name + " takes true or false, found '" + Chars.shown(value) + "'; give one of them (any "
                + "other value would be read as false without a word), or leave it out for " + unset);
    }
}
