package dev.pyruntime.manifest;

/**
 * A CPython release of the catalog and its upstream source.
 *
 * @param version   the version
 * @param file      the upstream file name, {@code Python-3.11.2.tgz}
 * @param sha256    its SHA-256, lower-case hex
 * @param signature the detached OpenPGP signature's file name, or null
 * @param at        where it is declared
 */
public record Release(PythonVersion version, String file, String sha256, String signature, Location at) {
}
