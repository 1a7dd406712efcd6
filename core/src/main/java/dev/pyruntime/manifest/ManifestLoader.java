package dev.pyruntime.manifest;

import dev.pyruntime.Chars;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads a manifest safely and validates it strictly.
 * <p>
 * Safety: the YAML is only composed into a node tree (no object construction, so no type can be instantiated from
 * the file), with limits on size, nesting and aliases. Strictness: every problem of the file is collected, each with
 * line, column and key path, and reported together in one {@link ManifestException}.
 */
public final class ManifestLoader {
    /** Manifests are small; anything larger is a mistake or an attack. */
    public static final int MAX_BYTES = 1 << 20;

    private ManifestLoader() {
    }

    public static Manifest load(Path file) throws ManifestException {
        Problems problems = new Problems(file);
        String text;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                problems.error(Location.UNKNOWN, "", "not a regular file (a directory, device or pipe); name the "
                        + "manifest's YAML file instead");
                throw new ManifestException(file, problems.sorted());
            }
            // Read at most one byte past the limit, whatever the file claims its size is.
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                problems.error(Location.UNKNOWN, "", "the file is larger than " + MAX_BYTES
                        + " bytes; a manifest is a short, human-written file");
                throw new ManifestException(file, problems.sorted());
            }
            text = decodeUtf8(bytes, problems);
            if (text == null) {
                throw new ManifestException(file, problems.sorted());
            }
        } catch (NoSuchFileException e) {
            problems.error(Location.UNKNOWN, "", "the manifest does not exist; create it, or name the manifest "
                    + "to use");
            throw new ManifestException(file, problems.sorted());
        } catch (IOException e) {
            problems.error(Location.UNKNOWN, "", "cannot read the file: " + e.getMessage());
            throw new ManifestException(file, problems.sorted());
        }
        return parse(file, text);
    }

    /** The text of UTF-8 {@code bytes}, or null after reporting where the first byte that is not UTF-8 is. */
    private static String decodeUtf8(byte[] bytes, Problems problems) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        String decoded = out.flip().toString();
        if (!result.isError()) {
            return decoded;
        }
        int lineStart = decoded.lastIndexOf('\n') + 1;
        Location at = new Location((int) decoded.chars().filter(c -> c == '\n').count() + 1,
                decoded.codePointCount(lineStart, decoded.length()) + 1);
        problems.error(at, "", String.format("the file is not valid UTF-8 (byte 0x%02X here); save it as UTF-8",
                bytes[in.position()] & 0xff));
        return null;
    }

    /** Parses manifest text; {@code file} names it in messages and anchors relative paths. */
    public static Manifest parse(Path file, String text) throws ManifestException {
        Problems problems = new Problems(file);
        Node root = compose(text, problems);
        Manifest manifest = null;
        if (root != null) {
            manifest = new ManifestReader(problems).read(new YamlValue(root, "", problems));
        }
        if (problems.hasErrors() || manifest == null) {
            throw new ManifestException(file, problems.sorted());
        }
        return manifest;
    }

    /** The line and column of the code point at {@code codePointIndex} of {@code text}. */
    private static Location locationOf(String text, int codePointIndex) {
        int end;
        try {
            end = text.offsetByCodePoints(0, Math.max(0, codePointIndex));
        } catch (IndexOutOfBoundsException e) {
            end = text.length();
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Location(line, text.codePointCount(lineStart, end) + 1);
    }

    /** Where and how a text goes past a limit of the composer. */
    private record Breach(Location at, String why) {
    }

    /**
     * Where the text first goes past the composer's nesting or alias limit, found from the parser's events (which
     * carry positions, unlike the composer's refusal), or null when neither limit is the cause.
     */
    private static Breach limitBreach(String text, LoaderOptions options) {
        try (Reader reader = new StringReader(text)) {
            ParserImpl parser = new ParserImpl(new StreamReader(reader), options);
            java.util.Set<String> collectionAnchors = new java.util.HashSet<>();
            int depth = 0;
            int aliases = 0;
            while (parser.peekEvent() != null) {
                Event event = parser.getEvent();
                if (event instanceof CollectionStartEvent start) {
                    if (start.getAnchor() != null) {
                        collectionAnchors.add(start.getAnchor());
                    }
                    if (++depth > options.getNestingDepthLimit()) {
                        return new Breach(at(event.getStartMark()), "mappings and lists nested more than "
                                + options.getNestingDepthLimit() + " deep (this one is the first too deep); a "
                                + "manifest needs a few levels: flatten it");
                    }
                } else if (event instanceof CollectionEndEvent) {
                    depth--;
                } else if (event instanceof AliasEvent alias && collectionAnchors.contains(alias.getAnchor())
                        && ++aliases > options.getMaxAliasesForCollections()) {
                    return new Breach(at(event.getStartMark()), "more than " + options.getMaxAliasesForCollections()
                            + " aliases of mappings or lists (this is alias " + aliases + ", *" + alias.getAnchor()
                            + "): aliases that expand into each other multiply a small file into a huge one; write "
                            + "the values out instead");
                } else if (event instanceof StreamEndEvent) {
                    break;
                }
            }
        } catch (YAMLException | IOException e) {
            return null;
        }
        return null;
    }

    private static Location at(Mark mark) {
        return mark == null ? Location.UNKNOWN : new Location(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static Node compose(String text, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by Mapping with both lines, instead of a bare exception
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_BYTES);
        options.setProcessComments(false);
        // Tags are never acted on (nothing is constructed); letting the composer keep them lets YamlValue report each
        // one at its key path, instead of SnakeYAML refusing the whole file with a parser message.
        options.setTagInspector(tag -> true);
        try (Reader reader = new StringReader(text)) {
            Composer composer = new Composer(new ParserImpl(new StreamReader(reader), options), new Resolver(), options);
            Node node = composer.getSingleNode();
            if (node == null) {
                problems.error(new Location(1, 1), "", "the manifest is empty; it needs at least schema, source, "
                        + "distros, arches and versions");
            }
            return node;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Location at = mark == null ? Location.UNKNOWN : new Location(mark.getLine() + 1, mark.getColumn() + 1);
            List<String> parts = new ArrayList<>();
            if (e.getContext() != null) {
                Mark from = e.getContextMark();
                // Where the unfinished construct began, such as the opening quote of a string that never closes.
                boolean elsewhere = from != null && mark != null && from.getIndex() != mark.getIndex();
                parts.add(e.getContext() + (elsewhere ? " (started at line " + (from.getLine() + 1) + ", column "
                        + (from.getColumn() + 1) + ")" : ""));
            }
            if (e.getProblem() != null) {
                parts.add(e.getProblem());
            }
            problems.error(at, "", "not valid YAML: " + String.join(", ", parts)
                    + "; check indentation, quoting and the ':' after each key");
            return null;
        } catch (ReaderException e) {
            // A character YAML does not allow (a NUL, another control character): where it is, and which.
            problems.error(locationOf(text, e.getPosition()), "", Chars.name(e.getCodePoint())
                    + " is not allowed in a YAML file; remove it (a tab or a special character pasted by mistake?)");
            return null;
        } catch (YAMLException e) {
            // The composer's limits carry no position: find the first event past the limit.
            Breach breach = limitBreach(text, options);
            if (breach == null) {
                problems.error(Location.UNKNOWN, "", "not a usable YAML file: " + e.getMessage()
                        + " (the parser gives no line for this)");
            } else {
                problems.error(breach.at(), "", breach.why());
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail", e);
        }
    }
}
