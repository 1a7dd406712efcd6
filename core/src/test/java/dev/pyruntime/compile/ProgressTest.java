package dev.pyruntime.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.RecordingConsole;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final String GCC = "gcc -c -fno-strict-overflow -O2 -I./Include/internal -o Objects/abstract.o Objects/abstract.c";

    @Test
    void aBatchLogGetsALineEveryIntervalCountingCompiledUnits() {
        RecordingConsole console = new RecordingConsole();
        AtomicLong now = new AtomicLong(0);
        try (Progress p = new Progress(console, "t: make", Duration.ofSeconds(30), Duration.ofHours(1), now::get)) {
            p.accept(GCC);
            now.set(Duration.ofSeconds(29).toNanos());
            p.accept("ar rcs libpython3.11.a Modules/getbuildinfo.o");
            assertEquals(List.of(), console.lines(), "nothing before the interval has passed");
            now.set(Duration.ofSeconds(31).toNanos());
            p.accept(GCC);
            p.accept(GCC);
            now.set(Duration.ofSeconds(75).toNanos());
            p.accept("x86_64-linux-gnu-gcc -pthread -c ./Modules/_ssl.c -o build/temp/_ssl.o");
            assertEquals(List.of("INFO t: make: 31s, 2 units compiled ...", "INFO t: make: 1m15s, 4 units compiled ..."),
                    console.lines());
            assertEquals(4, p.units());
        }
        assertEquals(List.of(), console.statusLines(), "a batch log has no status line to clear");
    }

    @Test
    void aSilentPhaseStillGetsItsBatchLineSayingHowLongItHasBeenQuiet() throws Exception {
        RecordingConsole console = new RecordingConsole();
        AtomicLong now = new AtomicLong(0);
        Progress closed;
        try (Progress p = new Progress(console, "t: make", Duration.ofSeconds(30), Duration.ofMillis(20), now::get)) {
            p.accept(GCC);
            now.set(Duration.ofSeconds(20).toNanos());
            p.accept(GCC);
            // An LTO link: no output from here on.
            now.set(Duration.ofSeconds(31).toNanos());
            awaitLines(console, 1);
            now.set(Duration.ofSeconds(50).toNanos());
            p.tick();
            assertEquals(1, console.lines().size(), "not again before the interval: " + console.lines());
            now.set(Duration.ofSeconds(62).toNanos());
            awaitLines(console, 2);
            assertEquals(List.of("INFO t: make: 31s, 2 units compiled ...",
                    "INFO t: make: 1m02s, 2 units compiled, no output for 42s ..."), console.lines());
            closed = p;
        }
        assertFalse(closed.ticking(), "the ticker's thread has ended, so nothing can print on its own");
        now.set(Duration.ofSeconds(200).toNanos());
        closed.tick();
        assertEquals(2, console.lines().size(), "nothing after the phase ended");
    }

    private static void awaitLines(RecordingConsole console, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (console.lines().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, console.lines().size(), console.lines().toString());
    }

    @Test
    void debugShowsEveryLineAndNoStatusLine() {
        RecordingConsole console = RecordingConsole.debugging();
        try (Progress p = new Progress(console, "t: configure")) {
            p.accept("checking build system type... x86_64-pc-linux-gnu");
            p.accept(GCC);
        }
        assertEquals(List.of("DEBUG checking build system type... x86_64-pc-linux-gnu", "DEBUG " + GCC), console.lines());
        assertEquals(List.of(), console.statusLines());
    }

    @Test
    void aTerminalGetsAStatusLineRewrittenWhileSilentAndClearedAtTheEnd() throws Exception {
        RecordingConsole console = RecordingConsole.terminal();
        Progress closed;
        try (Progress p = new Progress(console, "t: make", Duration.ofSeconds(30), Duration.ofMillis(20), System::nanoTime)) {
            p.accept(GCC);
            p.accept(GCC);
            p.accept(GCC);
            // No more output (a long link step): the line is still rewritten.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (console.statusLines().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(console.statusLines().size() >= 3, "rewritten on its own: " + console.statusLines());
            assertTrue(console.statusLines().stream().allMatch(s -> s.matches("t: make: \\d+s, 3 units compiled")), console.statusLines().toString());
            closed = p;
        }
        int afterClose = console.statusLines().size();
        assertEquals("null", console.statusLines().get(afterClose - 1), "closing clears the line");
        assertFalse(closed.ticking(), "the ticker's thread has ended, so nothing is drawn on its own");
        closed.tick();
        assertEquals(afterClose, console.statusLines().size(), "nothing is drawn after the phase ended");
        assertEquals(List.of(), console.lines(), "no batch lines on a terminal");
    }

    @Test
    void durationsReadLikeAClock() {
        assertEquals("0s", Progress.format(Duration.ZERO));
        assertEquals("59s", Progress.format(Duration.ofMillis(59_999)));
        assertEquals("1m00s", Progress.format(Duration.ofSeconds(60)));
        assertEquals("12m05s", Progress.format(Duration.ofSeconds(725)));
    }
}
