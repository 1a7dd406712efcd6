package dev.pyruntime.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalStatusTest {
    @Test
    void theLineIsRewrittenInPlaceAndClearedBeforeALogLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TerminalStatus status = new TerminalStatus(() -> out);
        status.clear();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "nothing to clear yet");
        status.show("t: make: 1s");
        status.show("t: make: 2s, 5 units compiled");
        status.around(() -> out.print("[INFO] t: make done in 2s\n"));
        status.around(() -> out.print("[INFO] t: install ...\n"));
        assertEquals("\rt: make: 1s\u001B[K\rt: make: 2s, 5 units compiled\u001B[K\r\u001B[K[INFO] t: make done in 2s\n"
                + "[INFO] t: install ...\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onlyAnInteractiveSingleProjectBuildOnARealTerminalGetsOne() {
        assertTrue(TerminalStatus.wanted(true, true, false, false, "xterm-256color"));
        assertFalse(TerminalStatus.wanted(false, true, false, false, "xterm"), "-B");
        assertFalse(TerminalStatus.wanted(true, false, false, false, "xterm"), "output redirected to a file or CI log");
        assertFalse(TerminalStatus.wanted(true, true, true, false, "xterm"), "-T: projects would share the line");
        assertFalse(TerminalStatus.wanted(true, true, false, true, "xterm"), "-X shows every line instead");
        assertFalse(TerminalStatus.wanted(true, true, false, false, "dumb"));
        assertFalse(TerminalStatus.wanted(true, true, false, false, null));
    }
}
