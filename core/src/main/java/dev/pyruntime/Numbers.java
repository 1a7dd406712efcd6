package dev.pyruntime;

/**
 * Reads a numeric setting as the user gave it (a String, as every front end receives it): a value that is not a whole
 * number, or out of its range, is an error that names the setting, what it takes and an example. A front end that let
 * its framework convert the value would report the framework's own error, which names no setting.
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * @param value   as given; null or blank gives {@code absent}
     * @param setting which setting it is, for the error
     * @param min     the least value allowed
     * @param max     the largest value allowed
     * @param unit    what it counts, for the error ("bytes", "attempts")
     * @param example a valid value, for the error
     * @throws UserError naming the setting when the value is not a whole number in [min, max]
     */
    public static long parse(String value, long absent, Setting setting, long min, long max, String unit, long example,
                             Vocabulary words) throws UserError {
        if (value == null || value.isBlank()) {
            return absent;
        }
        long n;
        try {
            n = Long.parseLong(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UserError(words.name(setting) + " is '" + Chars.shown(value) + "', which is not a whole number of "
                    + unit + "; give one, such as " + words.set(setting, Long.toString(example)));
        }
        if (n < min || n > max) {
            throw new UserError(words.name(setting) + " is " + n + " " + unit + ", " + (n < min ? "below the least, "
                    + min : "above the most, " + max) + "; give one from " + min + " to " + max + ", such as "
                    + words.set(setting, Long.toString(example)));
        }
        return n;
    }
}
