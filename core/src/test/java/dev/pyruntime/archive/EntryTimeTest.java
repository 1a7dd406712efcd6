package dev.pyruntime.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import org.junit.jupiter.api.Test;

class EntryTimeTest {
    @Test
    void outputTimestampWinsInEitherFormat() throws UserError {
        assertEquals(1_704_067_200L, EntryTime.resolve("2024-01-01T00:00:00Z", "5"));
        assertEquals(1_704_063_600L, EntryTime.resolve("2024-01-01T00:00:00+01:00", null));
        assertEquals(1_704_067_200L, EntryTime.resolve("1704067200", null));
    }

    @Test
    void sourceDateEpochIsNextAndNothingMeansTheBuildsOwnDate() throws UserError {
        assertEquals(42L, EntryTime.resolve(null, "42"));
        assertEquals(42L, EntryTime.resolve("", "42"));
        assertEquals(42L, EntryTime.resolve("a", "42")); // Maven's "disabled" marker: a single character
        assertNull(EntryTime.resolve(null, null));
    }

    @Test
    void badValuesSayWhatIsWrongAndWhereToFixIt() {
        UserError e = assertThrows(UserError.class, () -> EntryTime.resolve("yesterday", null));
        assertTrue(e.getMessage().contains("project.build.outputTimestamp 'yesterday'"), e.getMessage());
        e = assertThrows(UserError.class, () -> EntryTime.resolve(null, "soon"));
        assertTrue(e.getMessage().contains("SOURCE_DATE_EPOCH 'soon'"), e.getMessage());
    }
}
