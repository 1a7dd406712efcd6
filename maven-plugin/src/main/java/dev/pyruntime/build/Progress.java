package dev.pyruntime.build;

import dev.pyruntime.Console;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns a long phase's output into a short progress line now and then (phase, elapsed, compiled units), or into
 * every line when the user asked for debug output.
 */
public final class Progress implements Consumer<String> {
    private static final Pattern COMPILE = Pattern.compile("^\\S*(gcc|cc|clang)\\S*\\s.*\\s-c\\s.*");
    private static final long EVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final Console console;
    private final String label;
    private final long start = System.nanoTime();
    private long lastReport = start;
    private int units;

    Progress(Console console, String label) {
        this.console = console;
        this.label = label;
    }

    @Override
    public void accept(String line) {
        if (console.isDebug()) {
            console.debug(line);
        }
        if (COMPILE.matcher(line).matches()) {
            units++;
        }
        long now = System.nanoTime();
        if (now - lastReport >= EVERY_NANOS) {
            lastReport = now;
            console.info(label + ": " + elapsed() + (units > 0 ? ", " + units + " units compiled" : "") + " ...");
        }
    }

    int units() {
        return units;
    }

    String elapsed() {
        return format(Duration.ofNanos(System.nanoTime() - start));
    }

    public static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
