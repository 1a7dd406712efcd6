package dev.pyruntime.archive;

import dev.pyruntime.UserError;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The archive entries' time, from Maven's {@code project.build.outputTimestamp} or else SOURCE_DATE_EPOCH. */
public final class EntryTime {
    private EntryTime() {
    }

    /**
     * @param outputTimestamp {@code project.build.outputTimestamp}: ISO-8601 with an offset ({@code 2024-01-01T00:00:00Z})
     *                        or seconds since the epoch; blank or a single character means "not set", as for Maven's own plugins
     * @param sourceDateEpoch the SOURCE_DATE_EPOCH environment variable, or null
     * @return epoch seconds, or null when neither is set
     */
    public static Long resolve(String outputTimestamp, String sourceDateEpoch) throws UserError {
        if (outputTimestamp != null && outputTimestamp.strip().length() > 1) {
            String s = outputTimestamp.strip();
            if (s.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(s);
            }
            try {
                return OffsetDateTime.parse(s).toEpochSecond();
            } catch (DateTimeParseException e) {
                throw new UserError("project.build.outputTimestamp '" + s + "' is neither seconds since the epoch nor an "
                        + "ISO-8601 time with an offset, such as 2024-01-01T00:00:00Z; fix it in the POM's <properties>");
            }
        }
        if (sourceDateEpoch != null && !sourceDateEpoch.isBlank()) {
            String s = sourceDateEpoch.strip();
            if (!s.chars().allMatch(Character::isDigit) || s.length() > 12) {
                throw new UserError("SOURCE_DATE_EPOCH '" + s + "' is not a number of seconds since the epoch; fix or unset it");
            }
            return Long.parseLong(s);
        }
        return null;
    }
}
