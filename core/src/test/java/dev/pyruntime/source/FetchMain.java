package dev.pyruntime.source;

import dev.pyruntime.RecordingConsole;
import dev.pyruntime.UserError;
import java.nio.file.Path;
import java.util.List;

/**
 * Fetches one source in its own JVM, for the test of two Maven processes sharing a cache. Arguments: cache dir, URL,
 * sha256, file name. Prints what the fetcher says, then {@code RESULT <path>} (exit 0) or {@code ERROR <message>}
 * (exit 1).
 */
public final class FetchMain {
    private FetchMain() {
    }

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        RecordingConsole console = new RecordingConsole(true);
        SourceFetcher fetcher = new SourceFetcher(cache, cache.resolve("no-keys"), false,
                AptSources.read(cache.resolve("no-apt")), console);
        try {
            Path path = fetcher.fetch(new dev.pyruntime.plan.BuildPlan.SourceInfo(args[3], args[2], List.of(args[1]),
                    null, null));
            System.out.println("RESULT " + path);
        } catch (UserError e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(1);
        }
    }
}
