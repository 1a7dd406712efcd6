package dev.pyruntime.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A manifest that cannot be used: carries every error of the file, each with its location. */
public class ManifestException extends dev.pyruntime.UserError {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final transient List<Problem> problems;

    public ManifestException(Path file, List<Problem> problems) {
        super(format(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public Path file() {
        return file;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(Path file, List<Problem> problems) {
        long errors = problems.stream().filter(Problem::isError).count();
        return "Manifest " + file + " has " + errors + (errors == 1 ? " error" : " errors") + ":\n"
                + problems.stream().filter(Problem::isError).map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
