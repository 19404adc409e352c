package net.reactory.workflow.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.bootstrap.http.DaemonProcess;

/** {@code bin/workflow-runner}: finds a Java 21+, says what it found or what is missing, runs the jar. */
class LauncherScriptIT {

    static final Path SCRIPT = Path.of("..", "bin", "workflow-runner").toAbsolutePath().normalize();

    record Run(int exit, String out, String err) {
    }

    @Test
    void givenOnlyJava17_whenLaunched_thenExitTwoListingWhatWasFoundAndWhatToInstall(@TempDir Path work) throws Exception {
        Path oldJdk = stubJava(work.resolve("jdk-17"), "openjdk version \"17.0.9\" 2023-10-17");
        Path pathDir = stubJava(work.resolve("on-path"), "java version \"1.8.0_392\"").resolve("bin");

        Run run = launch(Map.of("JAVA_HOME", oldJdk.toString(), "PATH", pathDir + ":/usr/bin:/bin",
                "JVM_SEARCH_DIR", Files.createDirectories(work.resolve("no-jvms")).toString()), "--version");

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("workflow-runner: needs Java 21 or newer, and found none:")
                .contains("JAVA_HOME=" + oldJdk + ": " + oldJdk.resolve("bin/java") + " is Java 17, too old")
                .contains("java on the PATH: " + pathDir.resolve("java") + " is Java 8, too old")
                .contains("no-jvms: no JDK")
                .contains("set JAVA_HOME");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void givenJavaHomeTooOldButANewJdkInTheJvmFolder_whenTheDaemonIsAskedForItsVersion_thenTheNewOneRunsTheJar(@TempDir Path work) throws Exception {
        DaemonProcess.jar();
        Path oldJdk = stubJava(work.resolve("jdk-17"), "openjdk version \"17.0.9\" 2023-10-17");
        Path jvms = Files.createDirectories(work.resolve("jvm"));
        Path link = Files.createSymbolicLink(jvms.resolve("this-jdk"), Path.of(System.getProperty("java.home")));
        stubJava(jvms.resolve("older-jdk"), "openjdk version \"11.0.2\" 2019-01-15");

        Run run;
        try {
            run = launch(Map.of("JAVA_HOME", oldJdk.toString(), "PATH", "/usr/bin:/bin", "JVM_SEARCH_DIR", jvms.toString()), "--version");
        } finally {
            Files.delete(link); // the link leads out of the temporary folder: JUnit warns when it has to remove it
        }

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("workflow-runner 0.1.0");
    }

    @Test
    void givenThisJdkAsJavaHome_whenHelpIsAsked_thenTheJarAnswersWithItsUsage(@TempDir Path work) throws Exception {
        DaemonProcess.jar();
        Run run = launch(Map.of("JAVA_HOME", System.getProperty("java.home"), "PATH", "/usr/bin:/bin"), "--help");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Usage: workflow-runner", "publish-event", "Exit codes");
        assertThat(run.err()).as("no launcher chatter around a client command").isEmpty();
    }

    @Test
    void givenBadRunOption_whenLaunched_thenItSaysWhichJavaRunsTheDaemonAndTheJarsExitCodeComesBack(@TempDir Path work) throws Exception {
        DaemonProcess.jar();
        String javaHome = System.getProperty("java.home");
        Run run = launch(Map.of("JAVA_HOME", javaHome, "PATH", "/usr/bin:/bin"), "--plugins-dir", work.resolve("absent").toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).containsPattern("workflow-runner: Java \\d+ from JAVA_HOME=" + java.util.regex.Pattern.quote(javaHome))
                .contains("WORKFLOW_PLUGINS_DIR=");
    }

    /** A JDK folder whose bin/java prints {@code versionLine} as {@code java -version} does, on standard error. */
    private static Path stubJava(Path home, String versionLine) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '" + versionLine + "' >&2\necho 'stub java ran' >&2\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static Run launch(Map<String, String> env, String... args) throws Exception {
        assertThat(Files.isExecutable(SCRIPT)).as("%s is executable", SCRIPT).isTrue();
        ProcessBuilder builder = new ProcessBuilder(concat(SCRIPT.toString(), args));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }
}
