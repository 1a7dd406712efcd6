package dev.pyruntime.source;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The archives this machine's apt is configured with: the distinct base URIs of {@code deb} and {@code deb-src}
 * entries, in the order apt reads them ({@code sources.list}, then {@code sources.list.d/*.list} and
 * {@code *.sources} by file name). Both formats are read: one-line ({@code deb [options] uri suite components}) and
 * deb822 stanzas ({@code Types}, {@code URIs}, {@code Suites}, {@code Components}, {@code Enabled}).
 *
 * <p>Reading never fails: entries that cannot be used (malformed, or a scheme other than http, https or file) are
 * skipped and kept in {@link #notes()}, so that a problem elsewhere in apt's configuration only matters when the
 * {@code apt-pool} mirror is needed and says why it found nothing.
 */
public final class AptSources {
    private final Path root;
    private final List<URI> baseUris;
    private final List<String> notes;

    private AptSources(Path root, List<URI> baseUris, List<String> notes) {
        this.root = root;
        this.baseUris = List.copyOf(baseUris);
        this.notes = List.copyOf(notes);
    }

    /** This machine's apt configuration, {@code /etc/apt}. */
    public static AptSources system() {
        return read(Path.of("/etc/apt"));
    }

    /** Reads the apt configuration rooted at {@code aptRoot} (the directory that holds {@code sources.list}). */
    public static AptSources read(Path aptRoot) {
        Parser parser = new Parser();
        parser.file(aptRoot.resolve("sources.list"), false);
        Path dir = aptRoot.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".list")) {
                        parser.file(file, false);
                    } else if (name.endsWith(".sources")) {
                        parser.file(file, true);
                    }
                }
            } catch (IOException e) {
                parser.notes.add(dir + ": cannot list: " + e.getMessage());
            }
        }
        return new AptSources(aptRoot, new ArrayList<>(parser.uris), parser.notes);
    }

    /** The distinct archive base URIs, without a trailing slash, in apt's order. */
    public List<URI> baseUris() {
        return baseUris;
    }

    /** Entries that were skipped, each as {@code file:line: why}. */
    public List<String> notes() {
        return notes;
    }

    /** What was read, for messages. */
    public String describe() {
        return root + " (sources.list, sources.list.d/*.list and *.sources)";
    }

    private static final class Parser {
        final Set<URI> uris = new LinkedHashSet<>();
        final List<String> notes = new ArrayList<>();

        void file(Path file, boolean deb822) {
            if (!Files.isRegularFile(file)) {
                return;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                notes.add(file + ": cannot read: " + e.getMessage());
                return;
            }
            if (deb822) {
                stanzas(file, lines);
            } else {
                for (int i = 0; i < lines.size(); i++) {
                    oneLine(file + ":" + (i + 1), lines.get(i));
                }
            }
        }

        /** {@code deb [ option=value ... ] uri suite [component ...]}, with {@code #} starting a comment. */
        void oneLine(String where, String line) {
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (text.isEmpty()) {
                return;
            }
            String[] typeAndRest = text.split("\\s+", 2);
            String type = typeAndRest[0];
            if (!type.equals("deb") && !type.equals("deb-src")) {
                notes.add(where + ": unknown type '" + type + "' (expected deb or deb-src)");
                return;
            }
            String rest = typeAndRest.length > 1 ? typeAndRest[1].strip() : "";
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    notes.add(where + ": options start with '[' but have no closing ']'");
                    return;
                }
                rest = rest.substring(close + 1).strip();
            }
            String[] fields = rest.isEmpty() ? new String[0] : rest.split("\\s+");
            if (fields.length < 2) {
                notes.add(where + ": expected '" + type + " [options] uri suite [component ...]'");
                return;
            }
            add(where, fields[0]);
        }

        /** deb822 stanzas, separated by blank lines; continuation lines start with a space or tab. */
        void stanzas(Path file, List<String> lines) {
            Stanza stanza = new Stanza();
            for (int i = 0; i <= lines.size(); i++) {
                String line = i < lines.size() ? lines.get(i) : "";
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.isBlank()) {
                    if (!stanza.isEmpty()) {
                        stanza(file + ":" + stanza.firstLine, stanza);
                    }
                    stanza = new Stanza();
                } else if (Character.isWhitespace(line.charAt(0))) {
                    if (stanza.lastField == null) {
                        notes.add(file + ":" + (i + 1) + ": continuation line without a field before it");
                    } else {
                        stanza.append(line.strip());
                    }
                } else {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        notes.add(file + ":" + (i + 1) + ": expected 'Field: value'");
                        continue;
                    }
                    if (stanza.isEmpty()) {
                        stanza.firstLine = i + 1;
                    }
                    stanza.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
        }

        void stanza(String where, Stanza stanza) {
            if (stanza.get("enabled").equalsIgnoreCase("no")) {
                return;
            }
            List<String> types = words(stanza.get("types"));
            if (types.stream().noneMatch(t -> t.equals("deb") || t.equals("deb-src"))) {
                notes.add(where + ": Types '" + stanza.get("types") + "' has neither deb nor deb-src");
                return;
            }
            List<String> uris = words(stanza.get("uris"));
            if (uris.isEmpty() || words(stanza.get("suites")).isEmpty()) {
                notes.add(where + ": a stanza needs URIs and Suites");
                return;
            }
            uris.forEach(uri -> add(where, uri));
        }

        void add(String where, String text) {
            String trimmed = text.endsWith("/") ? text.replaceAll("/+$", "") : text;
            try {
                URI uri = new URI(trimmed);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
                    notes.add(where + ": " + text + ": scheme '" + scheme
                            + "' is not fetched by apt-pool (only http, https and file)");
                    return;
                }
                uris.add(uri);
            } catch (URISyntaxException e) {
                notes.add(where + ": '" + text + "' is not a URI: " + e.getReason());
            }
        }

        private static List<String> words(String value) {
            return value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
        }
    }

    private static final class Stanza {
        final java.util.Map<String, String> fields = new java.util.HashMap<>();
        String lastField;
        int firstLine;

        boolean isEmpty() {
            return fields.isEmpty();
        }

        void put(String name, String value) {
            lastField = name.toLowerCase(Locale.ROOT);
            fields.put(lastField, value);
        }

        void append(String value) {
            fields.merge(lastField, value, (a, b) -> a + " " + b);
        }

        String get(String name) {
            return fields.getOrDefault(name, "");
        }
    }
}
