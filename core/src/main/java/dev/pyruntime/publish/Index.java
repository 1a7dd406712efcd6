package dev.pyruntime.publish;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pyruntime.Sha256;
import dev.pyruntime.UserError;
import dev.pyruntime.manifest.Suggest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json} at the repository root: every published runtime, sorted by key. Consumers read it to find an
 * archive. It is an aggregate: each published archive also has an entry object of its own under {@code index.d/},
 * written once, and {@code index.json} is the union of those entries (see {@link Publisher}), so it can always be
 * rebuilt from them.
 *
 * <p>An index this version cannot read is refused, never rewritten: invalid JSON, {@code null}, the wrong shape, a
 * missing or misspelt key, a value of the wrong type, a newer {@code schema}. Fields this version does not know, at the
 * top and in entries, are kept as they are: the index is held as a JSON tree, not as records.
 */
public final class Index {
    /**
     * The newest schema this version reads. An index is written as schema 1 while every entry is a default build, and
     * as {@link #VARIANT_SCHEMA} once one is a variant's: a plugin from before variants refuses it instead of
     * rewriting its aliases without them (which would name a variant's archive for the default's series).
     */
    public static final int SCHEMA = 2;
    /** The schema of an index with a variant's entry. */
    static final int VARIANT_SCHEMA = 2;
    static final String SCHEMA_KEY = "schema";
    static final String RUNTIMES = "runtimes";
    /** What to do about an index this version refuses. */
    static final String FIX = "Fix it by hand; or, if every runtime it lists has its entry object under "
            + Publisher.ENTRIES + ", delete it: the next python-runtime:deploy of any target rebuilds it from them";
    /** What to do about an entry object this version refuses. */
    static final String FIX_ENTRY = "Entry objects are never rewritten: fix it by hand, from the archive beside it";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * One published runtime.
     *
     * @param key             the archive's key, relative to the repository root
     * @param target          the target id
     * @param version         the CPython version
     * @param distro          the distro id ({@code debian-12})
     * @param distroName      {@code debian}
     * @param distroVersion   {@code 12}
     * @param arch            the Debian arch
     * @param sha256          the archive's SHA-256
     * @param size            the archive's size in bytes
     * @param publishedAt     when its entry was published (ISO-8601, UTC)
     * @param planFingerprint the build plan's fingerprint, or null when it is not known (an entry completed from an
     *                        archive whose metadata is not published)
     * @param files           every file published of the runtime (the archive, its signature, SBOM, provenance,
     *                        {@code .sha256} and metadata), by name in the archive's folder, with its SHA-256; null in an
     *                        entry from a version before this was recorded
     * @param signingKey      the fingerprint of the primary key whose key signed the runtime's files, or null when they
     *                        are not signed
     * @param variant         the variant ({@code freethreaded}), {@code default} for the default build; null in an
     *                        entry from a version before variants, which built only the default
     */
    public record Entry(String key, String target, String version, String distro, String distroName, String distroVersion,
                        String arch, String sha256, long size, String publishedAt, String planFingerprint,
                        Map<String, String> files, String signingKey, String variant) {

        public Entry(String key, String target, String version, String distro, String distroName, String distroVersion,
                     String arch, String sha256, long size, String publishedAt, String planFingerprint) {
            this(key, target, version, distro, distroName, distroVersion, arch, sha256, size, publishedAt,
                    planFingerprint, null, null, null);
        }

        /** The variant, an entry from before variants being the default build's. */
        public String variantOrDefault() {
            return variant == null ? dev.pyruntime.manifest.Variant.DEFAULT : variant;
        }

        /** The entry as a JSON object, in this field order. */
        ObjectNode toNode() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("key", key);
            n.put("target", target);
            n.put("version", version);
            if (variant != null) {
                n.put("variant", variant);
            }
            n.put("distro", distro);
            n.put("distroName", distroName);
            n.put("distroVersion", distroVersion);
            n.put("arch", arch);
            n.put("sha256", sha256);
            n.put("size", size);
            n.put("publishedAt", publishedAt);
            n.put("planFingerprint", planFingerprint);
            if (files != null) {
                ObjectNode f = n.putObject("files");
                new java.util.TreeMap<>(files).forEach(f::put);
            }
            if (signingKey != null) {
                n.put("signingKey", signingKey);
            }
            return n;
        }

        /** The entry as its own object under {@code index.d/}. */
        byte[] toJson() throws IOException {
            return (JSON.writeValueAsString(toNode()) + "\n").getBytes(StandardCharsets.UTF_8);
        }

        private static Entry of(ObjectNode n) {
            return new Entry(text(n, "key"), text(n, "target"), text(n, "version"), text(n, "distro"),
                    text(n, "distroName"), text(n, "distroVersion"), text(n, "arch"), text(n, "sha256"),
                    n.get("size").asLong(), text(n, "publishedAt"), text(n, "planFingerprint"), files(n),
                    text(n, "signingKey"), text(n, "variant"));
        }

        private static Map<String, String> files(ObjectNode n) {
            JsonNode f = n.get("files");
            if (f == null || !f.isObject()) {
                return null;
            }
            Map<String, String> out = new java.util.TreeMap<>();
            f.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        }

        private static String text(ObjectNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    /** The fields of an entry this version knows; any other is kept as it is. */
    static final List<String> ENTRY_FIELDS = List.of("key", "target", "version", "variant", "distro", "distroName",
            "distroVersion", "arch", "sha256", "size", "publishedAt", "planFingerprint", "signingKey", "files");
    /** The fields of an entry that are JSON objects; the others this version knows are strings or numbers. */
    static final String FILES = "files";
    /** The fields an entry must have. */
    static final List<String> REQUIRED = List.of("key", "sha256", "size");

    private final ObjectNode root;
    /** The entries by key, in key order; each node is the one read (unknown fields included) or added. */
    private final Map<String, ObjectNode> entries;

    private Index(ObjectNode root, Map<String, ObjectNode> entries) {
        this.root = root;
        this.entries = entries;
    }

    public static Index empty() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put(SCHEMA_KEY, 1);
        return new Index(root, new LinkedHashMap<>());
    }

    /**
     * Reads an index, refusing anything this version cannot read or could not rewrite without loss.
     *
     * @param where the index's URL, for messages
     */
    public static Index parse(byte[] json, String where) throws UserError {
        JsonNode node = tree(json, where);
        if (!(node instanceof ObjectNode root)) {
            throw new UserError(where + " is " + describe(node) + ", not a JSON object {\"schema\": 1, \"runtimes\": "
                    + "[...]}. " + FIX);
        }
        JsonNode schema = root.get(SCHEMA_KEY);
        if (schema == null) {
            throw new UserError(where + " has no \"" + SCHEMA_KEY + "\"" + misspelt(root, List.of(SCHEMA_KEY, RUNTIMES),
                    SCHEMA_KEY) + ". " + FIX);
        }
        if (!schema.canConvertToExactIntegral() || !schema.isNumber() || schema.asInt() < 1) {
            throw new UserError(where + ": \"" + SCHEMA_KEY + "\" is " + schema + ", not a schema number (1 or 2). " + FIX);
        }
        if (schema.asInt() > SCHEMA) {
            throw new UserError(where + " has schema " + schema.asInt() + ", written by a newer python-runtime plugin; "
                    + "this one reads schema " + SCHEMA + " and will not rewrite it (that would drop what it does not "
                    + "know). Publish with the newer plugin version");
        }
        JsonNode runtimes = root.get(RUNTIMES);
        if (runtimes == null) {
            throw new UserError(where + " has no \"" + RUNTIMES + "\"" + misspelt(root, List.of(SCHEMA_KEY, RUNTIMES),
                    RUNTIMES) + ": this version will not replace it with an index that lists nothing. " + FIX);
        }
        if (!runtimes.isArray()) {
            throw new UserError(where + ": \"" + RUNTIMES + "\" is " + describe(runtimes) + ", not a JSON array. " + FIX);
        }
        Map<String, ObjectNode> entries = new LinkedHashMap<>();
        for (int i = 0; i < runtimes.size(); i++) {
            ObjectNode e = entry(runtimes.get(i), where + ": " + RUNTIMES + "[" + i + "]");
            if (entries.putIfAbsent(e.get("key").asText(), e) != null) {
                throw new UserError(where + ": " + RUNTIMES + "[" + i + "] has key \"" + e.get("key").asText()
                        + "\", which an earlier entry has too. " + FIX);
            }
        }
        return new Index(root, sorted(entries));
    }

    /** Reads one entry object of {@code index.d/}. */
    static Entry parseEntry(byte[] json, String where) throws UserError {
        return Entry.of(entryNode(json, where));
    }

    static ObjectNode entryNode(byte[] json, String where) throws UserError {
        try {
            return entry(tree(json, where), where);
        } catch (UserError e) {
            throw new UserError(e.getMessage().replace(FIX, FIX_ENTRY), e);
        }
    }

    private static JsonNode tree(byte[] json, String where) throws UserError {
        // JSON is UTF-8 without a byte order mark (RFC 8259), and python-runtime writes nothing else. Jackson would
        // skip a BOM and read UTF-16 or UTF-32 as well, and the index would be rewritten without them: something
        // else wrote this one, so it is refused like any other index this version did not write.
        String bom = json.length >= 3 && (json[0] & 0xff) == 0xef && (json[1] & 0xff) == 0xbb && (json[2] & 0xff) == 0xbf
                ? "EF BB BF (UTF-8)" : json.length >= 2 && (json[0] & 0xff) == 0xfe && (json[1] & 0xff) == 0xff
                ? "FE FF (UTF-16)" : json.length >= 2 && (json[0] & 0xff) == 0xff && (json[1] & 0xff) == 0xfe
                ? "FF FE (UTF-16 or UTF-32)" : null;
        if (bom != null) {
            throw new UserError(where + " starts with a byte order mark, " + bom + ", which JSON does not allow and "
                    + "python-runtime never writes: something else rewrote it. " + FIX);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new UserError(where + " is not UTF-8 text, as JSON is and as python-runtime writes it: something else "
                    + "wrote it. " + FIX);
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new UserError(where + " is empty, not JSON. " + FIX);
            }
            return node;
        } catch (JsonParseException e) {
            throw new UserError(where + " is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ". " + FIX);
        } catch (JsonProcessingException e) {
            throw new UserError(where + " is not valid JSON: " + e.getOriginalMessage() + ". " + FIX);
        } catch (IOException e) {
            throw new UserError(where + " cannot be read as JSON: " + e.getMessage() + ". " + FIX);
        }
    }

    private static ObjectNode entry(JsonNode node, String where) throws UserError {
        if (!(node instanceof ObjectNode e)) {
            throw new UserError(where + " is " + describe(node) + ", not an entry object {\"key\": ..., \"sha256\": ..., "
                    + "\"size\": ...}. " + FIX);
        }
        for (String field : REQUIRED) {
            if (!e.hasNonNull(field)) {
                throw new UserError(where + " has no \"" + field + "\"" + misspelt(e, ENTRY_FIELDS, field) + ". " + FIX);
            }
        }
        String key = e.get("key").isTextual() ? e.get("key").asText() : "";
        if (key.isEmpty() || key.startsWith("/") || List.of(key.split("/")).contains("..") || !key.endsWith(".tar.zst")) {
            throw new UserError(where + ": \"key\" is " + e.get("key") + ", not the key of an archive (a relative path "
                    + "ending in .tar.zst, without '..'). " + FIX);
        }
        if (!e.get("sha256").isTextual() || !Sha256.isValid(e.get("sha256").asText())) {
            throw new UserError(where + ": \"sha256\" is " + e.get("sha256") + ", not 64 lower-case hex digits. " + FIX);
        }
        if (!e.get("size").canConvertToExactIntegral() || !e.get("size").isNumber() || e.get("size").asLong() < 0) {
            throw new UserError(where + ": \"size\" is " + e.get("size") + ", not a size in bytes. " + FIX);
        }
        for (String field : ENTRY_FIELDS) {
            JsonNode v = e.get(field);
            if (v != null && !v.isNull() && !REQUIRED.contains(field) && !field.equals(FILES) && !v.isTextual()) {
                throw new UserError(where + ": \"" + field + "\" is " + v + ", not a string. " + FIX);
            }
        }
        JsonNode files = e.get(FILES);
        if (files != null && !files.isNull()) {
            if (!files.isObject()) {
                throw new UserError(where + ": \"" + FILES + "\" is " + describe(files) + ", not an object of file names "
                        + "and their sha256. " + FIX);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String name = f.getKey();
                if (name.isEmpty() || name.contains("/") || name.equals("..") || name.equals(".")
                        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new UserError(where + ": \"" + FILES + "\" names \"" + dev.pyruntime.Chars.shown(name)
                            + "\", not a file name beside the archive. " + FIX);
                }
                if (!f.getValue().isTextual() || !Sha256.isValid(f.getValue().asText())) {
                    throw new UserError(where + ": \"" + FILES + "\" gives " + name + " the sha256 " + f.getValue()
                            + ", not 64 lower-case hex digits. " + FIX);
                }
            }
        }
        return e;
    }

    /** " (it has 'runtimez': misspelt?)" when a field of {@code node} is close to the missing {@code field}. */
    private static String misspelt(ObjectNode node, List<String> known, String field) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        return Suggest.closest(field, unknown).map(s -> " (it has \"" + s + "\": misspelt?)").orElse("");
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return node.isContainerNode() ? "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                : "the " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + node;
    }

    private static Map<String, ObjectNode> sorted(Map<String, ObjectNode> entries) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        entries.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static final String ALIASES = "aliases";

    /**
     * The index as JSON: its fields as read, with {@code runtimes} in key order and {@code aliases} computed from them.
     */
    public byte[] toJson() throws IOException {
        ObjectNode out = root.deepCopy();
        boolean variants = entries.values().stream().map(Entry::of)
                .anyMatch(e -> !e.variantOrDefault().equals(dev.pyruntime.manifest.Variant.DEFAULT));
        if (variants && out.path(SCHEMA_KEY).asInt() < VARIANT_SCHEMA) {
            out.put(SCHEMA_KEY, VARIANT_SCHEMA);
        }
        ArrayNode list = out.putArray(RUNTIMES);
        entries.values().forEach(list::add);
        ObjectNode aliases = out.putObject(ALIASES);
        aliases().forEach((alias, e) -> {
            ObjectNode a = aliases.putObject(alias);
            a.put("version", e.version());
            a.put("variant", e.variantOrDefault());
            a.put("target", e.target());
            a.put("key", e.key());
            a.put("sha256", e.sha256());
        });
        return (JSON.writeValueAsString(out) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * For each series, variant, distro and arch that has a final release published ({@code 3.12-debian-12-amd64},
     * a variant's {@code 3.13+freethreaded-debian-13-amd64}), the entry of its newest: what a consumer asking for
     * "3.12" gets; a variant never stands in for the default build, nor the default for a variant. Derived from the entries every time the index is written,
     * so it is as complete as they are, whatever deploys ran at once. Pre-releases (3.14.0rc1) are never an alias's.
     */
    public Map<String, Entry> aliases() {
        Map<String, Entry> out = new java.util.TreeMap<>();
        Map<String, dev.pyruntime.manifest.PythonVersion> newest = new java.util.HashMap<>();
        for (ObjectNode n : entries.values()) {
            Entry e = Entry.of(n);
            if (e.version() == null || e.distro() == null || e.arch() == null) {
                continue;
            }
            dev.pyruntime.manifest.PythonVersion v = dev.pyruntime.manifest.PythonVersion.parse(e.version()).orElse(null);
            if (v == null || !e.version().matches("\\d+\\.\\d+\\.\\d+")) {
                continue;
            }
            String alias = v.series() + dev.pyruntime.manifest.Variant.suffix(e.variantOrDefault()) + "-" + e.distro()
                    + "-" + e.arch();
            if (!newest.containsKey(alias) || v.compareTo(newest.get(alias)) > 0) {
                newest.put(alias, v);
                out.put(alias, e);
            }
        }
        return out;
    }

    /** The entry for {@code key}, or null. */
    public Entry find(String key) {
        ObjectNode n = entries.get(key);
        return n == null ? null : Entry.of(n);
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The keys of the entries, sorted. */
    public List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    /** The entries, sorted by key. */
    public List<Entry> runtimes() {
        return entries.values().stream().map(Entry::of).toList();
    }

    /** The entry node of {@code key} as read, unknown fields included, or null. */
    ObjectNode node(String key) {
        return entries.get(key);
    }

    /** This index with {@code entries} added; an entry whose key the index has already is left as the index has it. */
    Index with(List<ObjectNode> added) {
        Map<String, ObjectNode> out = new LinkedHashMap<>(entries);
        for (ObjectNode n : added) {
            out.putIfAbsent(n.get("key").asText(), n);
        }
        return new Index(root, sorted(out));
    }

    @Override
    public String toString() {
        return "Index" + entries.keySet();
    }
}
