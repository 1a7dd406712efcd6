package dev.pyruntime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apt's two source formats, from sample files in a temp dir standing for /etc/apt. */
class AptSourcesTest {
    @TempDir
    Path apt;

    private void write(String name, String text) throws IOException {
        Path file = apt.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static List<URI> uris(String... uris) {
        return java.util.Arrays.stream(uris).map(URI::create).toList();
    }

    @Test
    void oneLineFormat() throws IOException {
        write("sources.list", """
                # the main archive
                deb http://archive.example.org/debian bookworm main contrib
                deb-src http://archive.example.org/debian/ bookworm main
                deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] https://mirror.example.net/debian/ bookworm main
                deb [ arch=amd64,arm64 ] http://options-with-spaces.example.org/debian bookworm main # trailing comment
                #deb http://commented-out.example.org/debian bookworm main
                   deb   http://indented.example.org/debian   bookworm-updates   main

                deb file:/srv/mirror/debian bookworm main
                """);

        AptSources sources = AptSources.read(apt);

        assertEquals(uris("http://archive.example.org/debian", "https://mirror.example.net/debian",
                "http://options-with-spaces.example.org/debian", "http://indented.example.org/debian",
                "file:/srv/mirror/debian"), sources.baseUris());
        assertEquals(List.of(), sources.notes());
    }

    @Test
    void deb822Format() throws IOException {
        write("sources.list.d/debian.sources", """
                Types: deb
                # http://snapshot.example.org/archive/debian/20250520T000000Z
                URIs: http://archive.example.org/debian
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                Types: deb deb-src
                URIs: http://a.example.org/debian/ https://b.example.org/debian
                 http://continued.example.org/debian
                Suites: bookworm
                Components: main

                # a disabled stanza
                Types: deb
                URIs: http://disabled.example.org/debian
                Suites: bookworm
                Enabled: no

                types: deb-src
                uris: http://lowercase-fields.example.org/debian
                suites: bookworm
                components: main
                """);

        AptSources sources = AptSources.read(apt);

        assertEquals(uris("http://archive.example.org/debian", "http://a.example.org/debian",
                "https://b.example.org/debian", "http://continued.example.org/debian",
                "http://lowercase-fields.example.org/debian"), sources.baseUris());
        assertEquals(List.of(), sources.notes());
    }

    @Test
    void filesAreReadInAptsOrderAndDuplicatesDropped() throws IOException {
        write("sources.list", "deb http://first.example.org/debian bookworm main\n");
        write("sources.list.d/b.list", "deb http://third.example.org/debian bookworm main\n");
        write("sources.list.d/a.sources", "Types: deb\nURIs: http://second.example.org/debian\nSuites: bookworm\n"
                + "Components: main\n\nTypes: deb-src\nURIs: http://first.example.org/debian/\nSuites: bookworm\n");
        write("sources.list.d/c.list.disabled", "deb http://ignored.example.org/debian bookworm main\n");
        write("sources.list.d/d.sources.save", "Types: deb\nURIs: http://ignored.example.org/debian\nSuites: x\n");

        assertEquals(uris("http://first.example.org/debian", "http://second.example.org/debian",
                "http://third.example.org/debian"), AptSources.read(apt).baseUris());
    }

    @Test
    void unusableEntriesAreSkippedWithANote() throws IOException {
        write("sources.list", """
                deb [arch=amd64 http://unclosed.example.org/debian bookworm main
                rpm http://wrong-type.example.org/ bookworm main
                deb http://no-suite.example.org/debian
                deb cdrom:[Debian 12]/ bookworm main
                deb mirror+file:/etc/apt/mirrors.txt bookworm main
                deb http://good.example.org/debian bookworm main
                """);
        write("sources.list.d/x.sources", "Types: deb\nSuites: bookworm\n\nTypes: rpm\nURIs: http://r.example.org/\n"
                + "Suites: x\n");

        AptSources sources = AptSources.read(apt);

        assertEquals(uris("http://good.example.org/debian"), sources.baseUris());
        String list = apt.resolve("sources.list").toString();
        String x = apt.resolve("sources.list.d/x.sources").toString();
        assertEquals(List.of(
                list + ":1: options start with '[' but have no closing ']'",
                list + ":2: unknown type 'rpm' (expected deb or deb-src)",
                list + ":3: expected 'deb [options] uri suite [component ...]'",
                list + ":4: cdrom:[Debian: scheme 'cdrom' is not fetched by apt-pool (only http, https and file)",
                list + ":5: mirror+file:/etc/apt/mirrors.txt: scheme 'mirror+file' is not fetched by apt-pool "
                        + "(only http, https and file)",
                x + ":1: a stanza needs URIs and Suites",
                x + ":4: Types 'rpm' has neither deb nor deb-src"), sources.notes());
    }

    @Test
    void noConfigurationMeansNoArchives() {
        AptSources sources = AptSources.read(apt.resolve("missing"));
        assertEquals(List.of(), sources.baseUris());
        assertTrue(sources.describe().startsWith(apt.resolve("missing").toString()));
    }

    @Test
    void thisMachinesConfigurationIsReadable() {
        // Whatever /etc/apt holds, reading it must not fail; on the Debian machines this project builds on it
        // names at least one archive.
        AptSources system = AptSources.system();
        if (Files.isDirectory(Path.of("/etc/apt/sources.list.d"))) {
            assertTrue(!system.baseUris().isEmpty(), system.notes().toString());
        }
    }
}
