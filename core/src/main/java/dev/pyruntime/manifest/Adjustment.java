package dev.pyruntime.manifest;

import dev.pyruntime.flags.Edit;
import dev.pyruntime.flags.FlagKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an override or a profile changes in a target's plan.
 *
 * @param configure edits to the configure arguments
 * @param flags     edits per flag set
 * @param make      make variables set (a later setting wins)
 * @param accept    conflict ids accepted (reported as info instead of a warning)
 * @param cleanup   cleanup rules added
 * @param builtinModules edits to the modules compiled into libpython
 * @param verifyModules  edits to the modules verify requires to import
 */
public record Adjustment(Edit configure, Map<FlagKind, Edit> flags, Map<String, String> make, Set<String> accept,
                         List<String> cleanup, Edit builtinModules, Edit verifyModules) {

    public Edit flags(FlagKind kind) {
        return flags.getOrDefault(kind, Edit.NONE);
    }
}
