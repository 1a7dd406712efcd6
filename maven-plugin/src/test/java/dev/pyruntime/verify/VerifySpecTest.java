package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.manifest.Manifest;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifySpecTest {
    @Test
    void cryptUntil312AndZstdFrom314() {
        assertTrue(VerifySpec.of("3.11.2", Manifest.Verify.DEFAULT).modules().contains("crypt"));
        assertTrue(VerifySpec.of("3.12.13", Manifest.Verify.DEFAULT).modules().contains("crypt"));
        assertFalse(VerifySpec.of("3.13.5", Manifest.Verify.DEFAULT).modules().contains("crypt"));
        assertFalse(VerifySpec.of("3.13.5", Manifest.Verify.DEFAULT).modules().contains("compression.zstd"));
        assertTrue(VerifySpec.of("3.14.6", Manifest.Verify.DEFAULT).modules().contains("compression.zstd"));
        assertTrue(VerifySpec.of("3.14.6", Manifest.Verify.DEFAULT).modules().containsAll(VerifySpec.BASE_MODULES));
    }

    @Test
    void theManifestAddsAndRemoves() {
        Manifest.Verify edits = new Manifest.Verify(List.of("_ctypes_test", "ssl"), List.of("curses", "crypt"), List.of("python*"));
        VerifySpec spec = VerifySpec.of("3.11.2", edits);
        assertFalse(spec.modules().contains("curses"));
        assertFalse(spec.modules().contains("crypt"));
        assertEquals(1, spec.modules().stream().filter("ssl"::equals).count());
        assertEquals("_ctypes_test", spec.modules().get(spec.modules().size() - 1));
        assertEquals(List.of("python*"), spec.bin());
    }
}
