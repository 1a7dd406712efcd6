package dev.pyruntime.verify;

import dev.pyruntime.flags.Flag;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.plan.BuildPlan;
import java.util.List;

/**
 * What {@code verify} requires of one target's archive beyond the rest of its plan.
 *
 * @param modules modules that must import
 * @param bin     globs of what {@code bin/} may hold
 */
public record VerifySpec(List<String> modules, List<String> bin) {

    /**
     * The plan's required modules (the plugin's defaults for the series, edited by the manifest's {@code verify.modules}
     * and its overrides' and profiles' {@code verifyModules}) and the manifest's {@code verify.bin}.
     */
    public static VerifySpec of(BuildPlan plan, Manifest.Verify manifest) {
        return new VerifySpec(plan.verifyModules().stream().map(Flag::value).toList(), manifest.bin());
    }
}
