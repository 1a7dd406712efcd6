package dev.pyruntime.compile;

import dev.pyruntime.Console;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Turns a long phase's output into progress a user can follow: on an interactive terminal a status line rewritten
 * every second (phase, elapsed, compiled units); in a batch log a short info line every 30 seconds, output or not (an
 * LTO link or the PGO task is silent for minutes, and a CI log that stops moving looks hung, and some CI services
 * kill it); every line of the output when the user asked for debug output. Close it when the phase ends: that
 * stops the ticking and clears the status line.
 */
public final class Progress implements Consumer<String>, AutoCloseable {
    /** A compiler invocation that compiles one unit: CPython's own rules start with {@code gcc -c}, setup.py's end with it. */
    private static final Pattern COMPILE = Pattern.compile("^\\S*(gcc|cc|clang)\\S*\\s(.*\\s)?-c\\s.*");
    static final Duration BATCH_EVERY = Duration.ofSeconds(30);
    static final Duration STATUS_EVERY = Duration.ofSeconds(1);

    private final Console console;
    private final String label;
    private final LongSupplier clock;
    private final long start;
    private final long every;
    private final ScheduledExecutorService ticker;
    private final boolean statusLine;
    private long lastReport;
    private volatile long lastOutput;
    private volatile int units;
    private volatile boolean closed;

    Progress(Console console, String label) {
        this(console, label, BATCH_EVERY, STATUS_EVERY, System::nanoTime);
    }

    /**
     * @param batchEvery  how often a batch log gets a progress line (measured on {@code clock})
     * @param statusEvery how often the progress is looked at without output: the status line is rewritten, and a batch
     *                    log gets its line once {@code batchEvery} has passed (a link step can be silent for minutes)
     */
    Progress(Console console, String label, Duration batchEvery, Duration statusEvery, LongSupplier clock) {
        this.console = console;
        this.label = label;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastReport = start;
        this.lastOutput = start;
        this.every = batchEvery.toNanos();
        this.statusLine = console.hasStatusLine();
        if (console.isDebug()) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "python-runtime: progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, statusEvery.toNanos(), statusEvery.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** One look at the progress without output (the ticker's, every {@code statusEvery}); nothing once closed. */
    void tick() {
        if (closed) {
            return;
        }
        if (statusLine) {
            console.status(text());
        } else {
            report(clock.getAsLong());
        }
    }

    /** Whether the ticker can still run: false once closed, when its thread has ended. */
    boolean ticking() {
        return ticker != null && !ticker.isTerminated();
    }

    @Override
    public void accept(String line) {
        if (console.isDebug()) {
            console.debug(line);
        }
        if (COMPILE.matcher(line).matches()) {
            units++;
        }
        long now = clock.getAsLong();
        lastOutput = now;
        if (!statusLine) {
            report(now);
        }
    }

    /** A batch log's line, when {@code batchEvery} has passed since the last one. */
    private synchronized void report(long now) {
        if (now - lastReport >= every) {
            lastReport = now;
            console.info(text() + " ...");
        }
    }

    /** What the progress says now: {@code <label>: 1m05s, 312 units compiled[, no output for 2m10s]}. */
    String text() {
        long silent = clock.getAsLong() - lastOutput;
        return label + ": " + elapsed() + (units > 0 ? ", " + units + " units compiled" : "")
                + (silent >= every ? ", no output for " + format(Duration.ofNanos(silent)) : "");
    }

    /** Stops the ticking and clears the status line. */
    @Override
    public void close() {
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (statusLine) {
                console.status(null);
            }
        }
    }

    int units() {
        return units;
    }

    String elapsed() {
        return format(Duration.ofNanos(clock.getAsLong() - start));
    }

    public static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
