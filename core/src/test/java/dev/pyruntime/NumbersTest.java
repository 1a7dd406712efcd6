package dev.pyruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyruntime.publish.S3Repository;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Every numeric setting, and the S3 endpoint, refuse a bad value naming the setting, its range and an example. */
class NumbersTest {
    /** The Maven plugin's names, as a user sees them. */
    private static final Vocabulary MAVEN = new Vocabulary() {
        @Override
        public String name(Setting setting) {
            return "python-runtime." + setting.key();
        }

        @Override
        public String set(Setting setting, String value) {
            return "-Dpython-runtime." + setting.key() + "=" + value;
        }
    };

    @Test
    void aWholeNumberInRangeIsTakenAndNoneGivenIsTheDefault() throws Exception {
        assertEquals(16777216, Numbers.parse("16777216", 1, Setting.S3_PART_SIZE, 5 << 20, Integer.MAX_VALUE, "bytes",
                16777216, MAVEN));
        assertEquals(67_108_864, Numbers.parse(" 67_108_864 ", 1, Setting.S3_MULTIPART_THRESHOLD, 0, Long.MAX_VALUE,
                "bytes", 1, MAVEN));
        assertEquals(4, Numbers.parse(null, 4, Setting.JOBS, 1, 1024, "make jobs", 8, MAVEN));
        assertEquals(4, Numbers.parse("", 4, Setting.JOBS, 1, 1024, "make jobs", 8, MAVEN));
    }

    @Test
    void aBadValueNamesItsSetting() {
        assertEquals("python-runtime.s3.partSize is '16M', which is not a whole number of bytes; give one, such as "
                + "-Dpython-runtime.s3.partSize=16777216", assertThrows(UserError.class, () -> Numbers.parse("16M", 1,
                Setting.S3_PART_SIZE, 5 << 20, Integer.MAX_VALUE, "bytes", 16777216, MAVEN)).getMessage());
        assertEquals("python-runtime.s3.partSize is 1048576 bytes, below the least, 5242880; give one from 5242880 to "
                + "2147483647, such as -Dpython-runtime.s3.partSize=16777216", assertThrows(UserError.class,
                () -> Numbers.parse("1048576", 1, Setting.S3_PART_SIZE, 5 << 20, Integer.MAX_VALUE, "bytes", 16777216,
                        MAVEN)).getMessage());
        assertEquals("python-runtime.s3.maxAttempts is 0 attempts, below the least, 1; give one from 1 to 100, such as "
                + "-Dpython-runtime.s3.maxAttempts=8", assertThrows(UserError.class, () -> Numbers.parse("0", 5,
                Setting.S3_MAX_ATTEMPTS, 1, 100, "attempts", 8, MAVEN)).getMessage());
        assertEquals("python-runtime.jobs is 'two', which is not a whole number of make jobs; give one, such as "
                + "-Dpython-runtime.jobs=8", assertThrows(UserError.class, () -> Numbers.parse("two", 2, Setting.JOBS,
                1, 1024, "make jobs", 8, MAVEN)).getMessage());
        // Past a long: not a whole number this tool can take either.
        assertThrows(UserError.class, () -> Numbers.parse("99999999999999999999", 1, Setting.S3_MULTIPART_THRESHOLD, 0,
                Long.MAX_VALUE, "bytes", 1, MAVEN));
    }

    @Test
    void theS3EndpointIsAnHttpUrlWithAHost() throws Exception {
        assertEquals(URI.create("http://127.0.0.1:9000"), S3Repository.endpoint(" http://127.0.0.1:9000 ", MAVEN));
        assertEquals(null, S3Repository.endpoint("", MAVEN));
        assertEquals("python-runtime.s3.endpoint 'minio:9000' must be an http(s) URL, such as "
                + "-Dpython-runtime.s3.endpoint=https://minio.internal:9000",
                assertThrows(UserError.class, () -> S3Repository.endpoint("minio:9000", MAVEN)).getMessage());
        assertEquals(true, assertThrows(UserError.class, () -> S3Repository.endpoint("http://a b", MAVEN)).getMessage()
                .startsWith("python-runtime.s3.endpoint 'http://a b' is not a URL: "));
    }
}
