package dev.pyruntime.manifest;

/**
 * A named set of changes chosen with the profile setting, such as {@code quick}.
 *
 * @param name        the name
 * @param description what it is for, or null
 * @param at          where it is declared
 * @param adjust      what it changes
 */
public record Profile(String name, String description, Location at, Adjustment adjust) {
}
