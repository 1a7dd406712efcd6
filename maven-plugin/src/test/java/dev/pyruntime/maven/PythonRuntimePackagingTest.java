package dev.pyruntime.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pyruntime.PluginVersion;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The packaging's components descriptor as Maven reads it; the IT lifecycle-packaging-runs-every-goal runs the
 * bindings in Maven.
 */
class PythonRuntimePackagingTest {

    static Document components() throws Exception {
        try (InputStream in = PythonRuntimePackaging.class.getResourceAsStream("/META-INF/plexus/components.xml")) {
            assertNotNull(in);
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    @Test
    void bindsEveryGoalToItsPhaseInLifecycleOrderWithThisVersion() throws Exception {
        Element phases = (Element) components().getElementsByTagName("phases").item(0);
        List<String> bindings = new ArrayList<>();
        for (Node n = phases.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                bindings.add(e.getTagName() + " " + e.getTextContent().trim());
            }
        }
        String self = "dev.pyruntime:python-runtime-maven-plugin:" + PluginVersion.get() + ":";
        assertEquals(List.of(
                "generate-sources " + self + "resolve-flags",
                "compile " + self + "compile",
                "package " + self + "package",
                "verify " + self + "verify",
                "install org.apache.maven.plugins:maven-install-plugin:3.1.3:install",
                // No maven-deploy-plugin: the runtimes go to python-runtime.repository, not to a Maven repository.
                "deploy " + self + "deploy"), bindings);
    }

    @Test
    void theMainArtifactIsAJsonOnNoClassPath() throws Exception {
        Document d = components();
        assertEquals(PythonRuntimePackaging.PACKAGING, d.getElementsByTagName("role-hint").item(1).getTextContent());
        assertEquals("json", d.getElementsByTagName("extension").item(0).getTextContent());
        assertEquals("false", d.getElementsByTagName("addedToClasspath").item(0).getTextContent());
    }
}
