package dev.pyruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A true-or-false setting with another value is refused, not read as false. */
class SwitchesTest {
    @Test
    void trueAndFalseInAnyCase() throws Exception {
        assertTrue(Switches.parse("s", "true", false));
        assertTrue(Switches.parse("s", "TRUE", false));
        assertFalse(Switches.parse("s", "False", true));
        assertFalse(Switches.parse("s", " false ", true));
        assertTrue(Switches.parse("s", null, true), "not given: the default");
        assertFalse(Switches.parse("s", null, false), "not given: the default");
    }

    @Test
    void anythingElseIsRefusedNamingTheSetting() {
        for (String v : new String[] {"maybe", "yes", "1", "on", "", " ", "tru"}) {
            UserError e = assertThrows(UserError.class, () -> Switches.parse("python-runtime.skip", v, false), v);
            assertEquals("python-runtime.skip takes true or false, found '" + v + "'; give one of them (any other value "
                    + "would be read as false without a word), or leave it out for false", e.getMessage());
        }
        UserError e = assertThrows(UserError.class, () -> Switches.parse("python-runtime.ccache", "no\n[INFO] x", true));
        assertEquals("python-runtime.ccache takes true or false, found 'no<U+000A>[INFO] x'; give one of them (any other "
                + "value would be read as false without a word), or leave it out for true", e.getMessage());
    }
}
