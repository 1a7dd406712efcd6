package dev.pyruntime.verify;

import dev.pyruntime.flags.Flag;
import dev.pyruntime.plan.BuildPlan;
import java.util.List;

/**
 * What {@code verify} requires of one target's archive beyond the rest of its plan.
 *
 * @param modules  modules that must import
 * @param bin      globs of what {@code bin/} may hold
 * @param runImage the target distro's bare run image ({@code runImage}), or null: the runtime must also run there
 *                 with only the packages its metadata lists
 */
public record VerifySpec(List<String> modules, List<String> bin, String runImage) {

    /**
     * What the plan says verify checks: the required modules (the plugin's defaults for the series, edited by the
     * manifest's {@code verify.modules} and its overrides' and profiles' {@code verifyModules}), the manifest's
     * {@code verify.bin} and the target distro's {@code runImage}. The plan is verify's only input.
     */
    public static VerifySpec of(BuildPlan plan) {
        return new VerifySpec(plan.verifyModules().stream().map(Flag::value).toList(), plan.verifyBin(),
                plan.runImage());
    }
}
