package dev.pyruntime.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.publish.Repositories;
import dev.pyruntime.publish.S3Repository;
import org.junit.jupiter.api.Test;

/** The core's settings reach the user in Maven's words: each is a property a goal reads, set with -D. */
class MavenVocabularyTest {

    @Test
    void everySettingIsAPropertyAGoalReads() {
        for (Setting s : Setting.values()) {
            String name = MavenVocabulary.INSTANCE.name(s);
            assertEquals(Properties.PREFIX + s.key(), name, s.name());
            assertTrue(UnknownProperties.known().contains(name), name + " is no goal's parameter property");
        }
        assertEquals("-Dpython-runtime.container.pull=true",
                MavenVocabulary.INSTANCE.set(Setting.CONTAINER_PULL, "true"));
    }

    @Test
    void aCoreErrorNamesTheMavenProperty() {
        UserError e = assertThrows(UserError.class,
                () -> Repositories.open("ftp://x/y", S3Repository.Options.defaults(), MavenVocabulary.INSTANCE));
        assertEquals("python-runtime.repository 'ftp://x/y': unknown scheme; use s3://bucket/prefix or file:/path",
                e.getMessage());
    }
}
