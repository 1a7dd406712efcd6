package dev.pyruntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Log tails for failure messages. */
public final class Logs {
    private Logs() {
    }

    public static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public static String tail(Path log, int lines) {
        try {
            return tail(new String(Files.readAllBytes(log), StandardCharsets.UTF_8), lines);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
