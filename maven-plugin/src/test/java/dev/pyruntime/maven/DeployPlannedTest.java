package dev.pyruntime.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeployPlannedTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            verify python-runtime:deploy                                           | true
            python-runtime:deploy@publish                                          | true
            dev.pyruntime:python-runtime-maven-plugin:deploy                       | true
            dev.pyruntime:python-runtime-maven-plugin:1.0.0-SNAPSHOT:deploy        | true
            verify                                                                 | false
            deploy                                                                 | false
            install                                                                | false
            python-runtime:verify                                                  | false
            org.apache.maven.plugins:maven-deploy-plugin:3.1.3:deploy              | false
            deploy:deploy                                                          | false
            """)
    void goesOnToDeploy(String tasks, boolean expected) {
        assertEquals(expected, DeployPlanned.goalIn(List.of(tasks.split(" "))));
    }

    @org.junit.jupiter.api.Test
    void theDeployPhase() {
        assertEquals(true, DeployPlanned.phaseIn(List.of("clean", "deploy")));
        assertEquals(false, DeployPlanned.phaseIn(List.of("install", "python-runtime:deploy")));
    }
}
