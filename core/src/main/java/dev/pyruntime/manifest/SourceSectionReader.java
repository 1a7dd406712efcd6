package dev.pyruntime.manifest;

import static dev.pyruntime.manifest.ManifestValues.intOr;
import static dev.pyruntime.manifest.ManifestValues.plainFileNameProblem;
import static dev.pyruntime.manifest.ManifestValues.template;
import static dev.pyruntime.manifest.ManifestValues.urlCharProblem;

import dev.pyruntime.Chars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;

/** Reads the manifest's {@code archive} and {@code source} sections: what the archives are named and packed with, and where sources come from. */
final class SourceSectionReader {
    private SourceSectionReader() {
    }

    /** The archive section as read, with the value of its {@code name} (null when the default applies). */
    record ArchiveSection(Manifest.Archive archive, YamlValue name) {
    }

    static ArchiveSection readArchive(YamlValue v) {
        if (v == null) {
            return new ArchiveSection(new Manifest.Archive(new Template(ManifestReader.DEFAULT_ARCHIVE_NAME), 22, 27,
                    false), null);
        }
        Mapping m = v.mapping();
        if (m == null) {
            return new ArchiveSection(null, null);
        }
        Template name = template(m.get("name"), ManifestReader.ARCHIVE_FIELDS, ManifestReader.DEFAULT_ARCHIVE_NAME);
        YamlValue nameValue = m.get("name");
        if (nameValue != null && name != null) {
            String plain = plainFileNameProblem(name.text());
            if (plain != null) {
                nameValue.error("'" + Chars.shown(name.text()) + "' must expand to a plain file name, because the archive, "
                        + "its .sha256 and its metadata are written under it into the output directory and published "
                        + "under it: " + plain + "; such as " + ManifestReader.DEFAULT_ARCHIVE_NAME);
            } else if (!name.text().endsWith(".tar.zst")) {
                nameValue.error("archive names must end in .tar.zst, found '" + name.text() + "'");
            }
            Set<String> f = name.fields();
            boolean unique = f.contains("target")
                    || f.containsAll(List.of("version", "arch")) && f.contains("distro") && f.contains("distroVersion");
            if (!unique) {
                nameValue.error("two targets would get the same archive name; use {target}, or all of {version}, "
                        + "{distro}, {distroVersion} and {arch}");
            }
        }
        int level = 22;
        int window = 27;
        YamlValue zstd = m.get("zstd");
        if (zstd != null) {
            Mapping z = zstd.mapping();
            if (z != null) {
                level = intOr(z.get("level"), 1, 22, 22);
                window = intOr(z.get("windowLog"), 10, 31, 27);
                if (window > 27) {
                    z.get("windowLog").error("a window log above 27 needs 'zstd -d --long=" + window + "' to decode, which "
                            + "'tar --zstd' cannot pass; use 27 or less (27 is what 'zstd -22 --ultra --long' uses)");
                    window = 27;
                }
                z.finish("level", "windowLog");
            }
        }
        boolean separateSymbols = false;
        YamlValue symbols = m.get("symbols");
        if (symbols != null) {
            String value = symbols.string();
            if (value != null && !value.equals(Manifest.Archive.SEPARATE)) {
                symbols.error("'" + Chars.shown(value) + "' is not a way to ship debug symbols; use '"
                        + Manifest.Archive.SEPARATE + "' (the runtime's ELF files stripped, their debug files in a "
                        + "companion <name>" + Manifest.Archive.SYMBOLS_SUFFIX + " laid out by build-id), or leave "
                        + "'symbols' out to ship the ELF files as the link left them");
            }
            separateSymbols = Manifest.Archive.SEPARATE.equals(value);
        }
        m.finish("name", "zstd", "symbols");
        return new ArchiveSection(name == null ? null : new Manifest.Archive(name, level, window, separateSymbols),
                nameValue);
    }

    static Manifest.Source readSource(YamlValue v) {
        if (v == null) {
            return null;
        }
        Mapping m = v.mapping();
        if (m == null) {
            return null;
        }
        Template url = null;
        YamlValue urlValue = m.require("url", "for example \"https://www.python.org/ftp/python/{version}/{file}\"");
        if (urlValue != null) {
            url = template(urlValue, ManifestReader.SOURCE_FIELDS, null);
            String bad = url == null ? null : urlCharProblem(url.text());
            if (bad != null) {
                urlValue.error(bad);
                url = null;
            } else if (url != null && !url.text().matches("(https?|file):.*")) {
                urlValue.error("expected an http(s):// or file: URL, found '" + url.text() + "'");
            }
        }
        List<String> mirrors = new ArrayList<>();
        YamlValue mv = m.get("mirrors");
        if (mv != null && mv.list() != null) {
            for (YamlValue item : mv.list()) {
                String s = item.string();
                if (s == null) {
                    continue;
                }
                String bad = urlCharProblem(s);
                if (bad != null) {
                    item.error(bad);
                } else if (s.equals(Manifest.APT_POOL)) {
                    mirrors.add(s);
                } else if (s.matches("(https?|file):.*")) {
                    if (template(item, ManifestReader.SOURCE_FIELDS, null) != null) {
                        mirrors.add(s);
                    }
                } else {
                    item.error("expected '" + Manifest.APT_POOL + "' or a URL template, found '" + s + "'"
                            + Suggest.didYouMean(s, List.of(Manifest.APT_POOL)));
                }
            }
        }
        Map<String, String> keys = new LinkedHashMap<>();
        YamlValue kv = m.get("signingKeys");
        if (kv != null) {
            Mapping km = kv.mapping();
            if (km != null) {
                for (Mapping.Entry e : km.entries()) {
                    if (!e.key().matches("\\d+\\.\\d+")) {
                        v.problems().error(e.keyAt(), e.value().path(), "signing keys are given per series, such as \"3.13\"; "
                                + "found '" + dev.pyruntime.Chars.shown(e.key()) + "' (quote the series)");
                        continue;
                    }
                    if (e.value().isMapping()) {
                        // Sigstore (3.14 and later): the release manager's identity and its OIDC issuer.
                        Mapping id = e.value().mapping();
                        String identity = id.string("identity", null);
                        String issuer = id.string("issuer", null);
                        id.finish("identity", "issuer");
                        if (identity == null || issuer == null || !identity.matches("\\S+") || !issuer.matches("https://\\S+")) {
                            e.value().error("a Sigstore identity is { identity: <the release manager's email>, issuer: "
                                    + "<the OIDC issuer's https URL> }, such as { identity: hugo@python.org, issuer: "
                                    + "\"https://github.com/login/oauth\" }");
                            continue;
                        }
                        keys.put(e.key(), new dev.pyruntime.sign.SigstoreCheck.Identity(identity, issuer).encoded());
                        continue;
                    }
                    String fpr = e.value().string();
                    if (fpr == null) {
                        continue;
                    }
                    String norm = fpr.replace(" ", "").toUpperCase(Locale.ROOT);
                    if (!norm.matches("[0-9A-F]{40}")) {
                        e.value().error("expected a 40-hex-digit OpenPGP fingerprint, found '" + fpr + "'");
                        continue;
                    }
                    keys.put(e.key(), norm);
                }
            }
        }
        m.finish("url", "mirrors", "signingKeys");
        return url == null ? null : new Manifest.Source(url, List.copyOf(mirrors), Map.copyOf(keys));
    }
}
