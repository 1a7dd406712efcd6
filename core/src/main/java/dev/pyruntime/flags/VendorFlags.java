package dev.pyruntime.flags;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the distro's {@code dpkg-buildflags --query} answered, read in the target's build environment.
 *
 * @param vendor      {@code Debian}, {@code Ubuntu}
 * @param dpkgVersion the dpkg-dev version, or empty when unknown
 * @param cwd         the directory dpkg-buildflags ran in (it prints {@code -ffile-prefix-map=<cwd>=.})
 * @param values      flag variable to value, such as CFLAGS to {@code -g -O2 ...}
 * @param origins     flag variable to dpkg's origin ({@code vendor}, {@code env}, {@code extra}, ...)
 * @param features    {@code area.feature} to its state, such as {@code hardening.bindnow} to {@code no}
 */
public record VendorFlags(String vendor, String dpkgVersion, String cwd, Map<String, String> values,
                          Map<String, String> origins, Map<String, String> features) {

    /** Parses {@code dpkg-buildflags --query} output. */
    public static VendorFlags parseQuery(String output, String dpkgVersion, String cwd) {
        String vendor = "";
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        Map<String, String> features = new LinkedHashMap<>();
        String flag = null;
        String area = null;
        boolean inFeatures = false;
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("Vendor: ")) {
                vendor = line.substring(8).trim();
            } else if (line.startsWith("Area: ")) {
                area = line.substring(6).trim();
                flag = null;
            } else if (line.equals("Features:")) {
                inFeatures = true;
            } else if (line.startsWith("Flag: ")) {
                flag = line.substring(6).trim();
                area = null;
            } else if (line.startsWith("Value:") && flag != null) {
                values.put(flag, line.substring(6).trim());
            } else if (line.startsWith("Origin: ") && flag != null) {
                origins.put(flag, line.substring(8).trim());
            } else if (line.startsWith(" ") && inFeatures && area != null && line.contains("=")) {
                String[] kv = line.trim().split("=", 2);
                features.put(area + "." + kv[0], kv[1]);
            } else if (!line.startsWith(" ")) {
                inFeatures = false;
            }
        }
        return new VendorFlags(vendor, dpkgVersion, cwd, Map.copyOf(values), Map.copyOf(origins), Map.copyOf(features));
    }

    /** The tokens of one flag variable, in order. */
    public List<String> tokens(FlagKind kind) {
        String v = values.getOrDefault(kind.dpkgName(), "").trim();
        return v.isEmpty() ? List.of() : Arrays.asList(v.split("\\s+"));
    }

    public String origin(FlagKind kind) {
        return origins.getOrDefault(kind.dpkgName(), "vendor");
    }
}
