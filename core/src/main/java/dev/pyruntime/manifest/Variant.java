package dev.pyruntime.manifest;

import java.util.List;

/**
 * A flavour of a release besides its default build, such as {@code freethreaded} ({@code --disable-gil}) or
 * {@code debug} ({@code --with-pydebug}), declared under {@code variants:}. A target of a variant has the variant in
 * its id and archive name ({@code 3.13.5+freethreaded-debian-13-amd64}); the default build has no variant and keeps
 * the names it always had.
 *
 * <p>A name joined with {@code +} ({@code freethreaded+debug}) is a combination of declared variants: their changes
 * apply in the order named, then its own.
 *
 * @param name        the name: lower-case words, or declared variants joined with {@code +}
 * @param description what it is, or null
 * @param at          where it is declared
 * @param versions    the releases that have it (any selector may match); empty for every release
 * @param parts       the declared variants a combination is made of, in order; empty for a single variant
 * @param adjust      what it changes, after its parts
 */
public record Variant(String name, String description, Location at, List<VersionSpec> versions, List<String> parts,
                      Adjustment adjust) {

    /** How selectors ({@code when: { variant: default }}) name the build without a variant. */
    public static final String DEFAULT = "default";

    /** Whether the release has this variant. */
    public boolean appliesTo(PythonVersion version) {
        return versions.isEmpty() || versions.stream().anyMatch(s -> s.matches(version));
    }

    /**
     * The variants {@code version} is built in: {@link #DEFAULT} first, then each of {@code declared} it has (a
     * combination only where every part has it too).
     */
    public static java.util.List<String> of(PythonVersion version, java.util.Map<String, Variant> declared) {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add(DEFAULT);
        declared.values().stream().filter(v -> v.appliesTo(version)
                && v.parts().stream().allMatch(p -> declared.get(p).appliesTo(version))).forEach(v -> out.add(v.name()));
        return out;
    }

    /** What the archive name's and target id's {@code {variant}} gives: {@code +freethreaded}, or "" by default. */
    public static String suffix(String variant) {
        return variant == null || variant.equals(DEFAULT) ? "" : "+" + variant;
    }

    /** How plans and logs name this variant's changes: {@code variants.freethreaded (python.yaml:57)}. */
    public String label(String fileName) {
        return "variants." + name + " (" + fileName + ":" + at.line() + ")";
    }
}
