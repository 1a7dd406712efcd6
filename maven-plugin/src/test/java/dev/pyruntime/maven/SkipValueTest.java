package dev.pyruntime.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.util.List;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** {@code -Dpython-runtime.skip=maybe} fails the goal naming the property; Maven's own conversion would run it. */
class SkipValueTest {
    @SuppressWarnings("deprecation")
    private static MatrixMojo matrix(String skip) {
        MatrixMojo mojo = new MatrixMojo();
        mojo.session = new MavenSession(null, new DefaultMavenExecutionRequest(), new DefaultMavenExecutionResult(),
                List.of());
        mojo.manifest = new File("/nonexistent/python.yaml");
        mojo.skip = skip;
        return mojo;
    }

    @Test
    void aSkipThatIsNeitherTrueNorFalseFailsBeforeAnything() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> matrix("maybe").execute());
        assertEquals("python-runtime.skip takes true or false, found 'maybe'; give one of them (any other value would "
                + "be read as false without a word), or leave it out for false", e.getMessage());
    }

    @Test
    void skipTrueSkips() throws Exception {
        matrix("true").execute();
    }
}
