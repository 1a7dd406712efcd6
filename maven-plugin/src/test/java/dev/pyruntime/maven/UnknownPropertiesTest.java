package dev.pyruntime.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class UnknownPropertiesTest {

    @Test
    void misspeltNamesAreNamedWithTheClosestKnownOne() {
        Map<String, String> names = new TreeMap<>();
        names.put("python-runtime.target", "-Dpython-runtime.target");
        names.put("python-runtime.profiles", "<python-runtime.profiles> in pom.xml's <properties>");
        names.put("python-runtime.s3.endpiont", "-Dpython-runtime.s3.endpiont");
        names.put("python-runtime.targets", "-Dpython-runtime.targets");
        names.put("python-runtime.version", "<python-runtime.version> in the parent's <properties>");
        names.put("maven.repo.local", "-Dmaven.repo.local");
        assertEquals(List.of(
                "<python-runtime.profiles> in pom.xml's <properties>: no goal of python-runtime reads "
                        + "'python-runtime.profiles'; did you mean 'python-runtime.profile'?",
                "-Dpython-runtime.s3.endpiont: no goal of python-runtime reads 'python-runtime.s3.endpiont'; did you "
                        + "mean 'python-runtime.s3.endpoint'?",
                "-Dpython-runtime.target: no goal of python-runtime reads 'python-runtime.target'; did you mean "
                        + "'python-runtime.targets'?"), UnknownProperties.problems(names));
    }

    @Test
    void aNameFarFromAnyListsThemAll() {
        String p = UnknownProperties.problems(Map.of("python-runtime.foo", "-Dpython-runtime.foo")).get(0);
        assertTrue(p.contains("the properties are python-runtime.archive, python-runtime.buildPython, python-runtime.ccache, "), p);
    }

    @Test
    void everyParameterPropertyIsKnown() {
        assertTrue(UnknownProperties.known().containsAll(List.of(Properties.TARGETS, Properties.REBUILD_PUBLISHED,
                Properties.S3_MAX_ATTEMPTS, Properties.GITHUB_OUTPUT, "python-runtime.version")));
        assertTrue(UnknownProperties.known().stream().noneMatch(k -> k.equals(Properties.PREFIX)));
    }
}
