package dev.pyruntime.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.UserError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** index.json as this version reads it: anything it could not rewrite without loss is refused, saying where and why. */
class IndexTest {
    static final String WHERE = "s3://bucket/index.json";
    static final String SHA = "a".repeat(64);
    static final String ENTRY = "{\"key\": \"python-3.11.2-debian-12-amd64.tar.zst\", \"sha256\": \"" + SHA + "\", \"size\": 5}";

    static String refusal(String json) {
        UserError e = assertThrows(UserError.class, () -> Index.parse(json.getBytes(StandardCharsets.UTF_8), WHERE));
        assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
        assertTrue(e.getMessage().endsWith(Index.FIX) || e.getMessage().endsWith("Publish with the newer plugin version"),
                e.getMessage());
        return e.getMessage();
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            null                                                  | is null, not a JSON object
            ''                                                    | is empty, not JSON
            []                                                    | is a JSON array, not a JSON object
            {"schema": 1, "runtimes": [null]}                     | runtimes[0] is null, not an entry object
            {"schema": 1, "runtimes": [7]}                        | runtimes[0] is the number 7, not an entry object
            {"schema": 1, "runtimes": {}}                         | "runtimes" is a JSON object, not a JSON array
            {"schema": 1, "runtime": []}                          | has no "runtimes" (it has "runtime": misspelt?)
            {"schema": 1}                                         | has no "runtimes"
            {"runtimes": []}                                      | has no "schema"
            {"schema": "1", "runtimes": []}                       | "schema" is "1", not a schema number
            {"schema": 0, "runtimes": []}                         | "schema" is 0, not a schema number
            {"schema": 3, "runtimes": []}                         | has schema 3, written by a newer python-runtime plugin
            {"schema": 1, "runtimes": [], "schema": 1}            | not valid JSON: Duplicate field 'schema' at line 1, column
            {"schema": 1, "runtimes": [                           | not valid JSON
            {"schema": 1, "runtimes": [{"key": "x.tar.zst", "sha265": "a", "size": 1}]} | runtimes[0] has no "sha256" (it has "sha265": misspelt?)
            {"schema": 1, "runtimes": [{"key": "../x.tar.zst", "sha256": "aaaa", "size": 1}]} | "key" is "../x.tar.zst", not the key of an archive
            {"schema": 1, "runtimes": [{"key": "x.tar.zst", "sha256": "aaaa", "size": 1}]} | "sha256" is "aaaa", not 64 lower-case hex digits
            """)
    void refused(String json, String expected) {
        String message = refusal(json);
        assertTrue(message.contains(expected), message);
    }

    /** A BOM, or another encoding than UTF-8, is refused like other damage, never read and rewritten without it. */
    @Test
    void aByteOrderMarkOrAnotherEncodingIsRefused() {
        byte[] good = "{\"schema\": 1, \"runtimes\": []}".getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[good.length + 3];
        bom[0] = (byte) 0xef;
        bom[1] = (byte) 0xbb;
        bom[2] = (byte) 0xbf;
        System.arraycopy(good, 0, bom, 3, good.length);
        UserError e = assertThrows(UserError.class, () -> Index.parse(bom, WHERE));
        assertEquals(WHERE + " starts with a byte order mark, EF BB BF (UTF-8), which JSON does not allow and "
                + "python-runtime never writes: something else rewrote it. " + Index.FIX, e.getMessage());

        byte[] utf16 = "\ufeff{\"schema\": 1, \"runtimes\": []}".getBytes(StandardCharsets.UTF_16BE);
        assertTrue(assertThrows(UserError.class, () -> Index.parse(utf16, WHERE)).getMessage()
                .startsWith(WHERE + " starts with a byte order mark, FE FF (UTF-16)"));
        byte[] utf16NoBom = "{\"schema\": 1, \"runtimes\": []}".getBytes(StandardCharsets.UTF_16LE);
        assertTrue(assertThrows(UserError.class, () -> Index.parse(utf16NoBom, WHERE)).getMessage()
                .startsWith(WHERE + " is not valid JSON"));
        byte[] latin1 = "{\"schema\": 1, \"runtimes\": [], \"note\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(WHERE + " is not UTF-8 text, as JSON is and as python-runtime writes it: something else wrote it. "
                + Index.FIX, assertThrows(UserError.class, () -> Index.parse(latin1, WHERE)).getMessage());
    }

    @Test
    void aNegativeSizeAWrongTypeAndADuplicateKeyAreRefused() {
        assertTrue(refusal("{\"schema\": 1, \"runtimes\": [" + ENTRY.replace("5}", "-1}") + "]}")
                .contains("\"size\" is -1, not a size in bytes"));
        assertTrue(refusal("{\"schema\": 1, \"runtimes\": [" + ENTRY.replace("}", ", \"version\": 3.11}") + "]}")
                .contains("\"version\" is 3.11, not a string"));
        assertTrue(refusal("{\"schema\": 1, \"runtimes\": [" + ENTRY + ", " + ENTRY + "]}")
                .contains("runtimes[1] has key \"python-3.11.2-debian-12-amd64.tar.zst\", which an earlier entry has too"));
    }

    @Test
    void fieldsThisVersionDoesNotKnowAreKeptAndEntriesSorted() throws Exception {
        String json = "{\"schema\": 1, \"mirror\": {\"region\": \"eu\"}, \"runtimes\": [" + ENTRY.replace("}",
                ", \"channel\": \"lts\"}") + "]}";
        Index index = Index.parse(json.getBytes(StandardCharsets.UTF_8), WHERE);
        Index.Entry added = new Index.Entry("python-3.10.20-debian-12-amd64.tar.zst", "t", "3.10.20", "debian-12",
                "debian", "12", "amd64", "b".repeat(64), 9, "2026-12-02T00:00:00Z", null);
        var out = new ObjectMapper().readTree(index.with(List.of(added.toNode())).toJson());
        assertEquals("eu", out.get("mirror").get("region").asText());
        assertEquals(2, out.get("runtimes").size());
        assertEquals("python-3.10.20-debian-12-amd64.tar.zst", out.get("runtimes").get(0).get("key").asText());
        assertEquals("lts", out.get("runtimes").get(1).get("channel").asText());
        // And it reads back.
        assertEquals(2, Index.parse(index.with(List.of(added.toNode())).toJson(), WHERE).runtimes().size());
    }

    @Test
    void anEntryTheIndexHasIsNotReplacedByAnAddedOne() throws Exception {
        Index index = Index.parse(("{\"schema\": 1, \"runtimes\": [" + ENTRY + "]}").getBytes(StandardCharsets.UTF_8), WHERE);
        Index.Entry other = new Index.Entry("python-3.11.2-debian-12-amd64.tar.zst", "t", "3.11.2", "debian-12", "debian",
                "12", "amd64", "c".repeat(64), 1, "2026-12-02T00:00:00Z", null);
        assertEquals(SHA, index.with(List.of(other.toNode())).find("python-3.11.2-debian-12-amd64.tar.zst").sha256());
    }

    @Test
    void aliasesNameTheNewestFinalReleaseOfEachSeriesDistroAndArch() throws Exception {
        List<com.fasterxml.jackson.databind.node.ObjectNode> entries = new java.util.ArrayList<>();
        for (String[] t : new String[][] {{"3.12.9", "debian-12", "amd64"}, {"3.12.13", "debian-12", "amd64"},
                {"3.12.10", "debian-12", "amd64"}, {"3.12.2", "debian-12", "arm64"}, {"3.13.0rc1", "debian-12", "amd64"},
                {"3.12.13", "debian-13", "amd64"}}) {
            String target = t[0] + "-" + t[1] + "-" + t[2];
            entries.add(new Index.Entry("python-" + target + ".tar.zst", target, t[0], t[1], "debian",
                    t[1].substring(7), t[2], "a".repeat(64), 1, "2026-12-05T00:00:00Z", null).toNode());
        }
        var json = new ObjectMapper().readTree(Index.empty().with(entries).toJson());
        var aliases = json.get("aliases");
        // 3.12.13, not 3.12.9 or 3.12.10 (versions compare as numbers, not text); no alias for a pre-release only.
        assertEquals("python-3.12.13-debian-12-amd64.tar.zst", aliases.get("3.12-debian-12-amd64").get("key").asText());
        assertEquals("3.12.13", aliases.get("3.12-debian-12-amd64").get("version").asText());
        assertEquals("python-3.12.2-debian-12-arm64.tar.zst", aliases.get("3.12-debian-12-arm64").get("key").asText());
        assertEquals("python-3.12.13-debian-13-amd64.tar.zst", aliases.get("3.12-debian-13-amd64").get("key").asText());
        assertEquals(null, aliases.get("3.13-debian-12-amd64"));
        assertEquals(3, aliases.size());
        // Derived: an index read back and written again has the same aliases, whatever was in the field before.
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).putObject("aliases").put("3.12-debian-12-amd64", "stale");
        var again = new ObjectMapper().readTree(Index.parse(new ObjectMapper().writeValueAsBytes(json), WHERE).toJson());
        assertEquals(aliases, again.get("aliases"));
    }

    @Test
    void aVariantHasAliasesOfItsOwnAndNeverStandsInForTheDefaultBuild() throws Exception {
        List<com.fasterxml.jackson.databind.node.ObjectNode> entries = new java.util.ArrayList<>();
        // The free-threaded 3.13.6 is newer than the default 3.13.5; an entry from before variants (no "variant") is
        // the default build's.
        for (String[] t : new String[][] {{"3.13.5", null}, {"3.13.6", "freethreaded"}, {"3.13.4", "freethreaded"},
                {"3.13.6", "freethreaded+debug"}}) {
            String target = t[0] + (t[1] == null ? "" : "+" + t[1]) + "-debian-13-amd64";
            entries.add(new Index.Entry("python-" + target + ".tar.zst", target, t[0], "debian-13", "debian", "13",
                    "amd64", "a".repeat(64), 1, "2026-12-05T00:00:00Z", null, null, null, t[1]).toNode());
        }
        Index index = Index.parse(Index.empty().with(entries).toJson(), WHERE);
        var json = new ObjectMapper().readTree(index.toJson());
        // A plugin from before variants reads schema 1 only, so it refuses this index instead of rewriting its
        // aliases without the variants.
        assertEquals(2, json.get("schema").asInt());
        assertEquals(1, new ObjectMapper().readTree(Index.empty().toJson()).get("schema").asInt());
        var aliases = json.get("aliases");
        assertEquals("python-3.13.5-debian-13-amd64.tar.zst", aliases.get("3.13-debian-13-amd64").get("key").asText());
        assertEquals("default", aliases.get("3.13-debian-13-amd64").get("variant").asText());
        assertEquals("python-3.13.6+freethreaded-debian-13-amd64.tar.zst",
                aliases.get("3.13+freethreaded-debian-13-amd64").get("key").asText());
        assertEquals("freethreaded", aliases.get("3.13+freethreaded-debian-13-amd64").get("variant").asText());
        assertEquals("python-3.13.6+freethreaded+debug-debian-13-amd64.tar.zst",
                aliases.get("3.13+freethreaded+debug-debian-13-amd64").get("key").asText());
        assertEquals(3, aliases.size());
        assertEquals("freethreaded", index.find("python-3.13.6+freethreaded-debian-13-amd64.tar.zst").variant());
        assertEquals(null, index.find("python-3.13.5-debian-13-amd64.tar.zst").variant());
    }
}
