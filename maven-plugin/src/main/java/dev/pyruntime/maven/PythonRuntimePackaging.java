package dev.pyruntime.maven;

/**
 * The {@code python-runtime} packaging: a project with {@code <packaging>python-runtime</packaging>} that declares this
 * plugin with {@code <extensions>true</extensions>} runs {@code resolve-flags}, {@code compile}, {@code package},
 * {@code verify} and {@code deploy} in the default lifecycle's phases, plus the usual {@code install}. The lifecycle
 * mapping and the artifact handler are Plexus components ({@code META-INF/plexus/components.xml}): Sisu
 * {@code @Named} components of a build extension were not visible to Maven 3.8.7's packaging lookup ("Unknown
 * packaging"), the components descriptor is.
 */
public final class PythonRuntimePackaging {
    public static final String PACKAGING = "python-runtime";

    private PythonRuntimePackaging() {
    }
}
