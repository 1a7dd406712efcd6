package dev.pyruntime.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed manifests: every {@code manifests/invalid/<case>.yaml} must be refused with exactly the
 * errors listed, one {@link Problem#toString()} per line and in report order, in {@code <case>.expected} next to it.
 * <p>
 * Each case is a minimal, otherwise valid manifest named after its mistake. To add one, write the two files; the
 * expected lines are what a user reads, so each must name file:line:col, the key path, what is wrong and what would
 * be right.
 */
class MalformedManifestTest {
    private static final int MIN_CASES = 35;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(MalformedManifestTest.class.getResource("/manifests/" + name).toURI());
    }

    static List<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(resource("invalid"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void corpusHasEnoughCasesEachWithItsExpectedErrors() throws Exception {
        List<String> cases = cases();
        assertTrue(cases.size() >= MIN_CASES, "expected at least " + MIN_CASES + " cases, found " + cases.size());
        try (Stream<Path> files = Files.list(resource("invalid"))) {
            List<String> orphans = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".expected"))
                    .filter(n -> !cases.contains(n.replaceFirst("\\.expected$", ".yaml"))).toList();
            assertEquals(List.of(), orphans, ".expected files without a matching <case>.yaml");
        }
        for (String name : cases) {
            assertTrue(Files.isRegularFile(expectedFile(name)), name + " has no " + expectedFile(name).getFileName());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedErrors(String name) throws Exception {
        Path manifest = resource("invalid/" + name);
        List<String> expected = Files.readAllLines(expectedFile(name), StandardCharsets.UTF_8);
        assertFalse(expected.isEmpty(), name + ": the .expected file lists no error");

        ManifestException e = assertThrows(ManifestException.class, () -> ManifestLoader.load(manifest),
                name + " must be refused");

        List<Problem> errors = e.problems().stream().filter(Problem::isError).toList();
        assertEquals(expected, errors.stream().map(Problem::toString).toList(), name);
        for (Problem p : errors) {
            assertTrue(p.line() > 0 && p.column() > 0, "every error names its line and column: " + p);
            assertTrue(p.toString().startsWith(name + ":" + p.line() + ":" + p.column() + ": "), p.toString());
        }
        String message = e.getMessage();
        for (String line : expected) {
            assertTrue(message.contains(line), "the exception message carries every error: " + line);
        }
        assertFalse(message.contains("Exception"), "no Java exception names in what the user reads: " + message);
        assertFalse(message.contains("\tat "), "no stack trace in what the user reads: " + message);
    }

    @Test
    void nonUtf8CaseReallyHoldsBytesThatAreNotUtf8() throws Exception {
        byte[] bytes = Files.readAllBytes(resource("invalid/non-utf8.yaml"));
        assertThrows(CharacterCodingException.class,
                () -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)),
                "non-utf8.yaml was re-encoded; it must hold the Latin-1 byte 0xE9");
    }

    @Test
    void overrideMatchingNoTargetIsAWarningNotAnError() throws Exception {
        Manifest manifest = ManifestLoader.load(resource("warnings/override-matches-no-target.yaml"));

        assertEquals(List.of("override-matches-no-target.yaml:11:5: overrides[0]: matches no target of this manifest "
                        + "(versions x variants x distros x arches); fix its 'when' or remove it"),
                manifest.warnings().stream().map(Problem::toString).toList());
        assertTrue(manifest.warnings().stream().noneMatch(Problem::isError));
        assertEquals(1, manifest.overrides().size(), "the override is kept");
    }

    private static Path expectedFile(String caseName) throws URISyntaxException {
        return resource("invalid").resolve(caseName.replaceFirst("\\.yaml$", ".expected"));
    }
}
