package net.reactory.workflow.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What a library user copies from the README (coordinates, the sample pom, the BOM) matches the build, so that
 * following "Use it as a library" after {@code mvn install} finds every artifact it names.
 */
class LibraryPathTest {

    private static final Path ROOT = ReadmeExampleTest.ROOT;

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    private static String first(String regex, String text, String what) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as(what).isTrue();
        return m.group(1);
    }

    private static List<String> all(String regex, String text) {
        return Pattern.compile(regex, Pattern.DOTALL).matcher(text).results().map(r -> r.group(1)).toList();
    }

    private static String rootVersion() throws IOException {
        return first("<artifactId>workflow-runner-parent</artifactId>\\s*<version>([^<]+)</version>", read("pom.xml"), "root pom version");
    }

    @Test
    void givenReadme_whenLibrarySectionRead_thenItGivesTheGroupTheVersionTheInstallAndTheLoggingBinding() throws Exception {
        String readme = ReadmeExampleTest.readme();
        String section = first("(## Use it as a library\\n.*?)\\n## ", readme, "README has a library section");

        assertThat(section).contains("`net.reactory.workflow`", "`" + rootVersion() + "`", "mvn -B -DskipTests install",
                "slf4j-simple", "workflow-bom");
    }

    @Test
    void givenReadmeSamplePom_whenComparedWithTheTourExample_thenItIsThatPomWithTheBuildsVersion() throws Exception {
        String readme = ReadmeExampleTest.readme();
        String block = first("```xml\\n(<!-- examples/tour/pom.xml -->\\n.*?)```", readme, "README shows the tour's pom");
        String pom = read("examples/tour/pom.xml");

        assertThat(pom).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + block);
        assertThat(block).contains("<artifactId>workflow-bom</artifactId>", "<scope>import</scope>",
                "<artifactId>maven-compiler-plugin</artifactId>", "<maven.compiler.release>21</maven.compiler.release>");
    }

    @Test
    void givenEveryExampleProject_whenItsPomIsRead_thenItUsesTheBuildsVersionAndTheAggregatorListsIt() throws Exception {
        List<String> projects;
        try (Stream<Path> dirs = Files.list(ROOT.resolve("examples"))) {
            projects = dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).map(d -> d.getFileName().toString()).sorted().toList();
        }
        assertThat(projects).contains("tour", "workflow-test", "plugin");
        assertThat(all("<module>([^<]+)</module>", read("examples/pom.xml"))).containsExactlyInAnyOrderElementsOf(projects);
        for (String project : projects) {
            String pom = read("examples/" + project + "/pom.xml");
            assertThat(first("<workflow.version>([^<]+)</workflow.version>", pom, project + " names the version"))
                    .as(project).isEqualTo(rootVersion());
            assertThat(pom).as(project + " has no parent: it builds as a user's project would").doesNotContain("<parent>");
        }
    }

    @Test
    void givenBom_whenRead_thenItHasTheBuildsVersionAndManagesEveryModule() throws Exception {
        String bom = read("workflow-bom/pom.xml");
        String root = read("pom.xml");
        List<String> modules = all("<module>([^<]+)</module>", root);

        assertThat(first("<artifactId>workflow-bom</artifactId>\\s*<version>([^<]+)</version>", bom, "BOM version")).isEqualTo(rootVersion());
        assertThat(all("<groupId>net.reactory.workflow</groupId>\\s*<artifactId>([^<]+)</artifactId>", first(
                "<dependencyManagement>(.*)</dependencyManagement>", bom, "BOM manages dependencies")))
                .containsExactlyInAnyOrderElementsOf(modules.stream().filter(m -> !m.equals("workflow-bom")).toList());
        assertThat(first("<artifactId>slf4j-api</artifactId>\\s*<version>([^<]+)</version>", bom, "BOM pins slf4j-api"))
                .isEqualTo(first("<slf4j.version>([^<]+)</slf4j.version>", root, "root slf4j version"));
    }
}
