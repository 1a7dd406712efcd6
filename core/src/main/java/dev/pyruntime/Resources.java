package dev.pyruntime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Text files shipped in the plugin jar beside the classes that use them (scripts and C sources it runs or compiles). */
public final class Resources {
    private Resources() {
    }

    /** The UTF-8 text of {@code name}, resolved relative to {@code owner}'s package. */
    public static String text(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the plugin jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
