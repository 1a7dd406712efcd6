package dev.pyruntime.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The goals as Maven sees them, read from the plugin descriptor the build generates (what {@code help} and the site
 * show): each goal lists only the parameters it reads, each with javadoc and a {@code python-runtime.*} property, and
 * no goal's class extends another goal's.
 */
class GoalParametersTest {
    /** Per goal: its implementation class and its user-editable parameters, each with its property and description. */
    private static final Map<String, String> IMPLEMENTATION = new TreeMap<>();
    private static final Map<String, Map<String, String[]>> PARAMETERS = new TreeMap<>();
    /** Per goal: each parameter's type and default value, from its {@code <configuration>} element. */
    private static final Map<String, Map<String, String[]>> TYPES = new TreeMap<>();

    @BeforeAll
    static void readDescriptor() throws Exception {
        Document d;
        try (InputStream in = GoalParametersTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
            d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        NodeList mojos = d.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = text(mojo, "goal");
            IMPLEMENTATION.put(goal, text(mojo, "implementation"));
            Map<String, String[]> params = new TreeMap<>();
            NodeList ps = ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
            for (int j = 0; j < ps.getLength(); j++) {
                Element p = (Element) ps.item(j);
                if ("true".equals(text(p, "editable"))) {
                    params.put(text(p, "name"), new String[] {text(p, "description")});
                }
            }
            NodeList config = ((Element) mojo.getElementsByTagName("configuration").item(0)).getChildNodes();
            Map<String, String[]> types = new TreeMap<>();
            TYPES.put(goal, types);
            for (int j = 0; j < config.getLength(); j++) {
                if (config.item(j) instanceof Element c) {
                    types.put(c.getTagName(), new String[] {c.getAttribute("implementation"), c.getAttribute("default-value")});
                }
                if (config.item(j) instanceof Element c && params.containsKey(c.getTagName())) {
                    String value = c.getTextContent();
                    String property = value.startsWith("${") ? value.substring(2, value.indexOf('}')) : null;
                    params.put(c.getTagName(), new String[] {params.get(c.getTagName())[0], property});
                }
            }
            PARAMETERS.put(goal, params);
        }
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
    }

    private static Set<String> goalsWith(String parameter) {
        return PARAMETERS.entrySet().stream().filter(e -> e.getValue().containsKey(parameter)).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void eachGoalListsOnlyTheParametersItReads() {
        // matrix plans nothing on this machine; it reads the repository (its index), and uploads nothing.
        assertEquals(Set.of("githubOutput", "manifest", "matrixFile", "profile", "skip", "targets", "repository",
                "serverId", "s3Endpoint", "s3Region", "s3PathStyle", "s3MaxAttempts", "rebuildPublished"),
                PARAMETERS.get("matrix").keySet());
        // Each parameter matrix shares with the building goals has the same property there.
        PARAMETERS.get("matrix").forEach((name, p) -> {
            if (PARAMETERS.get("deploy").containsKey(name)) {
                assertEquals(PARAMETERS.get("deploy").get(name)[1], p[1], name);
            }
        });
        // buildPython: a cross build's plan names the build Python it configures with.
        assertEquals(Set.of("buildPython", "containerEngine", "containerEngineArgs", "containerPull", "containerRunArgs",
                "manifest", "outputDirectory", "profile", "skip", "targets"), PARAMETERS.get("resolve-flags").keySet());
        assertEquals(Set.of("deploy", "package", "verify"), goalsWith("outputTimestamp"), "the goals that pack");
        assertEquals(Set.of("verify"), goalsWith("archive"));
        assertEquals(Set.of("deploy"), goalsWith("dryRun"));
        assertEquals(Set.of("compile", "deploy", "package", "verify"), goalsWith("jobs"));
    }

    @Test
    void everyParameterHasJavadocAndAPythonRuntimeProperty() {
        PARAMETERS.forEach((goal, params) -> {
            if (goal.equals("help")) {
                return;
            }
            params.forEach((name, p) -> {
                assertTrue(p[0] != null && p[0].length() > 20, goal + " " + name + " has no javadoc");
                if (p.length > 1 && Properties.MAVEN_DEPLOY_SKIP.equals(p[1])) {
                    // Maven's own switch for the deploy phase, which deploy honours as maven-deploy-plugin does.
                    assertEquals("deploy", goal);
                    return;
                }
                assertTrue(p.length > 1 && p[1] != null && p[1].startsWith(Properties.PREFIX),
                        goal + " " + name + " has no python-runtime.* property");
                assertTrue(UnknownProperties.known().contains(p[1]), p[1] + " is not in Properties");
            });
        });
    }

    /**
     * Maven reads a {@code boolean} parameter with {@code Boolean.valueOf}: {@code -Dpython-runtime.skip=maybe} would
     * be false without a word. So no parameter is a boolean: each true-or-false one is a String that its goal lists
     * in {@code switches()}, read (and a value that is neither refused) before the goal does anything.
     */
    @Test
    void everyTrueOrFalseParameterIsReadStrictly() throws Exception {
        int switches = 0;
        for (Map.Entry<String, Map<String, String[]>> goal : TYPES.entrySet()) {
            if (goal.getKey().equals("help")) {
                continue;
            }
            AbstractRuntimeMojo mojo = (AbstractRuntimeMojo) Class.forName(IMPLEMENTATION.get(goal.getKey()))
                    .getDeclaredConstructor().newInstance();
            Set<String> listed = mojo.switches().stream().map(AbstractRuntimeMojo.Switch::property)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> expected = new TreeSet<>();
            for (Map.Entry<String, String[]> p : goal.getValue().entrySet()) {
                String type = p.getValue()[0];
                assertFalse(type.equals("boolean") || type.equals("java.lang.Boolean"),
                        goal.getKey() + " " + p.getKey() + " is a " + type + ": Maven reads any value but true as false");
                if (Set.of("true", "false").contains(p.getValue()[1])) {
                    expected.add(PARAMETERS.get(goal.getKey()).get(p.getKey())[1]);
                }
            }
            assertEquals(expected, listed, goal.getKey() + ": its true-or-false parameters and switches()");
            switches += listed.size();
        }
        assertTrue(switches > 20, "the goals' switches were found: " + switches);
    }

    @Test
    void noGoalExtendsAnotherGoal() throws Exception {
        Set<String> goalClasses = new TreeSet<>(IMPLEMENTATION.values());
        for (String impl : goalClasses) {
            Class<?> parent = Class.forName(impl).getSuperclass();
            assertFalse(goalClasses.contains(parent.getName()), impl + " extends the goal " + parent.getName());
            assertTrue(Modifier.isAbstract(parent.getModifiers()) || parent.getName().startsWith("org.apache.maven"),
                    impl + " extends " + parent.getName());
        }
        assertTrue(goalClasses.contains(DeployMojo.class.getName()) && goalClasses.size() == 7, goalClasses.toString());
    }
}
