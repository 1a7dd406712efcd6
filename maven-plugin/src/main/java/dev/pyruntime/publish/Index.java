package dev.pyruntime.publish;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code index.json} at the repository root: every published runtime, sorted by key. Consumers read it to find an
 * archive; deploys only ever add entries, through compare-and-swap, so concurrent deploys lose none.
 *
 * @param schema   this format's version
 * @param runtimes the published runtimes, sorted by key
 */
public record Index(int schema, List<Entry> runtimes) {
    public static final int SCHEMA = 1;
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

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
     * @param publishedAt     when it was published (ISO-8601, UTC)
     * @param planFingerprint the build plan's fingerprint
     */
    public record Entry(String key, String target, String version, String distro, String distroName, String distroVersion,
                        String arch, String sha256, long size, String publishedAt, String planFingerprint) {
    }

    public static Index empty() {
        return new Index(SCHEMA, List.of());
    }

    public static Index parse(byte[] json) throws IOException {
        Index index = JSON.readValue(json, Index.class);
        return new Index(index.schema(), index.runtimes() == null ? List.of() : index.runtimes());
    }

    public byte[] toJson() throws IOException {
        return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The entry for {@code key}, or null. */
    public Entry find(String key) {
        return runtimes.stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
    }

    /** This index with {@code entry} added (replacing one with the same key), sorted by key. */
    public Index with(Entry entry) {
        List<Entry> out = new ArrayList<>(runtimes.stream().filter(e -> !e.key().equals(entry.key())).toList());
        out.add(entry);
        out.sort(Comparator.comparing(Entry::key));
        return new Index(SCHEMA, List.copyOf(out));
    }
}
