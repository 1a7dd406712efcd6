package dev.pyruntime.flags;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Something about a plan's flags a user would want to know.
 *
 * @param check    the check's id (see {@link FlagCheck}); listing it under {@code accept} silences the warning
 * @param severity {@code warning}, or {@code info} when accepted or harmless
 * @param message  what was found and what to do about it
 */
public record Diagnostic(String check, String severity, String message) {
    @JsonIgnore
    public boolean isWarning() {
        return "warning".equals(severity);
    }
}
