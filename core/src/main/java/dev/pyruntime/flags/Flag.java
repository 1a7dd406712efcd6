package dev.pyruntime.flags;

/**
 * One flag or configure argument of a plan, with where it came from.
 *
 * @param value  the flag exactly as passed, such as {@code -fstack-protector-strong}
 * @param origin where it came from: {@code dpkg-buildflags (vendor)}, {@code build.flags}, {@code overrides[1] (python.yaml:57)},
 *               {@code profile quick}, {@code plugin: ...}
 */
public record Flag(String value, String origin) {
}
