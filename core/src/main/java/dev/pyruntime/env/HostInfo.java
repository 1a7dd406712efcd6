package dev.pyruntime.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Which distro release and Debian arch this machine is, as targets name them ({@code debian-12}, {@code amd64}).
 *
 * @param distroId {@code <ID>-<VERSION_ID>} from os-release, or {@code unknown}
 * @param arch     the Debian arch name, or {@code unknown}
 */
public record HostInfo(String distroId, String arch) {

    /** Reads /etc/os-release and the machine's arch. */
    public static HostInfo detect() {
        return new HostInfo(distroFrom(Path.of("/etc/os-release")), archFrom(System.getProperty("os.arch")));
    }

    static String distroFrom(Path osRelease) {
        try {
            return distroFromText(Files.readString(osRelease));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code <ID>-<VERSION_ID>} from the text of an os-release file, or {@code unknown}. */
    public static String distroFromText(String osRelease) {
        Map<String, String> fields = new HashMap<>();
        for (String line : osRelease.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replaceAll("^\"|\"$", ""));
            }
        }
        String id = fields.get("ID");
        String version = fields.get("VERSION_ID");
        return id == null || version == null ? "unknown" : id + "-" + version;
    }

    /** Maps the JVM's arch name to Debian's. */
    static String archFrom(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64el";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "x86", "i386", "i686" -> "i386";
            case "arm" -> "armhf";
            default -> "unknown";
        };
    }
}
