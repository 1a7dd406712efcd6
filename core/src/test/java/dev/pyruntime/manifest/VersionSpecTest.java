package dev.pyruntime.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionSpecTest {
    private static final List<String> RELEASES = List.of("3.10.20", "3.11.2", "3.11.15", "3.12.0rc1", "3.12.0", "3.12.13",
            "3.13.5", "3.14.0a7", "3.14.6");

    private static String matching(String spec) {
        VersionSpec.Result r = VersionSpec.parse(spec);
        assertNull(r.error(), r.error());
        return String.join(" ", RELEASES.stream().filter(v -> r.spec().matches(PythonVersion.parse(v).orElseThrow())).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        ">=3.12            | 3.12.0rc1 3.12.0 3.12.13 3.13.5 3.14.0a7 3.14.6",
        "<3.12             | 3.10.20 3.11.2 3.11.15",
        "3.11.*            | 3.11.2 3.11.15",
        "3.11              | 3.11.2 3.11.15",
        "3.*               | 3.10.20 3.11.2 3.11.15 3.12.0rc1 3.12.0 3.12.13 3.13.5 3.14.0a7 3.14.6",
        "3.11.2            | 3.11.2",
        "==3.11.2          | 3.11.2",
        "!=3.11.2,3.11.*   | 3.11.15",
        ">=3.10,<3.13      | 3.10.20 3.11.2 3.11.15 3.12.0rc1 3.12.0 3.12.13",
        ">3.11.2, <=3.12.0 | 3.11.15 3.12.0rc1 3.12.0",
        ">=3.12.0          | 3.12.0 3.12.13 3.13.5 3.14.0a7 3.14.6",
        "<3.14.0           | 3.10.20 3.11.2 3.11.15 3.12.0rc1 3.12.0 3.12.13 3.13.5 3.14.0a7",
        ">3.13             | 3.14.0a7 3.14.6",
        "3.12.0rc1         | 3.12.0rc1",
    })
    void selects(String spec, String expected) {
        assertEquals(expected.trim(), matching(spec.trim()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        ">>3.12    | '>>3.12' is not a version selector; write e.g. 3.11.2, 3.11.*, >=3.12 or >=3.10,<3.13",
        "3.11.*.*  | '3.11.*.*' is not a version selector; write e.g. 3.11.2, 3.11.*, >=3.12 or >=3.10,<3.13",
        ">=3.11.*  | '>=3.11.*': a wildcard cannot be combined with >=; write >=3.11",
        "3.11.2.*  | '3.11.2.*': a wildcard goes after a series, as in 3.11.*",
        "3.12rc1   | '3.12rc1': a pre-release needs a full version, as in 3.14.0rc1",
        "'>=3.12,' | '' is not a version selector; write e.g. 3.11.2, 3.11.*, >=3.12 or >=3.10,<3.13",
    })
    void rejects(String spec, String message) {
        VersionSpec.Result r = VersionSpec.parse(spec.trim());
        assertNull(r.spec());
        assertEquals(message.trim(), r.error());
    }

    @org.junit.jupiter.api.Test
    void ordersPreReleasesBeforeFinal() {
        List<String> sorted = RELEASES.stream().map(v -> PythonVersion.parse(v).orElseThrow()).sorted()
                .map(PythonVersion::toString).toList();
        assertEquals(RELEASES, sorted);
        assertTrue(PythonVersion.parse("3.14.0b1").orElseThrow().compareTo(PythonVersion.parse("3.14.0rc1").orElseThrow()) < 0);
        assertTrue(PythonVersion.parse("3.11").isEmpty());
        assertTrue(PythonVersion.parse("v3.11.2").isEmpty());
    }

    @Test
    void globs() {
        assertTrue(Selector.glob("ubuntu-*", "ubuntu-24.04"));
        assertTrue(Selector.glob("3.1?.*-debian-12-amd64", "3.13.5-debian-12-amd64"));
        assertTrue(!Selector.glob("ubuntu-2?.04", "ubuntu-24.10"));
        assertTrue(!Selector.glob("debian-1.", "debian-12"), "a dot is literal");
        assertTrue(Selector.glob("*-debian-1[23]-amd64", "3.13.5-debian-13-amd64"));
        assertTrue(Selector.glob("*-debian-1[23]-amd64", "3.11.2-debian-12-amd64"));
        assertTrue(!Selector.glob("*-debian-1[23]-amd64", "3.11.2-debian-11-amd64"));
        assertTrue(Selector.glob("3.1[!1].*", "3.13.5"));
        assertTrue(!Selector.glob("3.1[!1].*", "3.11.2"));
        assertTrue(Selector.glob("*-{debian-13,ubuntu-24.04}-*", "3.13.5-ubuntu-24.04-arm64"));
        assertTrue(!Selector.glob("debian-1[2", "debian-12"), "an unclosed bracket is literal");
        assertTrue(Selector.glob("debian-1[2", "debian-1[2"));
    }
}
