package dev.pyruntime.flags;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The recorded dpkg-buildflags outputs of Debian 11/12/13 and Ubuntu 22.04/24.04, as {@link VendorFlags}. */
public final class RecordedFlags {
    /** Where the recorded dpkg-buildflags "ran": its -ffile-prefix-map points here. */
    public static final String CWD = "/srv/recorded-cwd";

    private RecordedFlags() {
    }

    public static Map<String, VendorFlags> load() throws IOException {
        Map<String, Map<String, String>> values = new TreeMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        try (InputStream in = RecordedFlags.class.getResourceAsStream("/dpkg-buildflags.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || line.startsWith("distro\t") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                values.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[2], f[3].replace("<cwd>", CWD));
                versions.put(f[0], f[1]);
            }
        }
        Map<String, VendorFlags> out = new TreeMap<>();
        values.forEach((distro, v) -> out.put(distro, new VendorFlags(distro.startsWith("ubuntu") ? "Ubuntu" : "Debian",
                versions.get(distro), CWD, v, Map.of(), Map.of())));
        return out;
    }
}
