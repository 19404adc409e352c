package net.reactory.workflow.bootstrap.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.bootstrap.http.DashboardAssets;
import net.reactory.workflow.bootstrap.http.DashboardAssets.Asset;

class DashboardAssetsTest {

    final DashboardAssets assets = new DashboardAssets();

    @Test
    void givenTheRoot_whenAsked_thenItRedirectsToTheDashboard() {
        for (String path : List.of("/", "/ui")) {
            Asset a = assets.answer("GET", path);
            assertThat(a.status()).isEqualTo(302);
            assertThat(a.headers()).containsEntry("Location", "/ui/");
        }
    }

    @Test
    void givenTheDashboardFolder_whenAsked_thenIndexHtmlComesWithTheSecurityHeaders() {
        Asset a = assets.answer("GET", "/ui/");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(a.body(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"app.js\">");
        assertThat(a.headers()).containsEntry("Content-Security-Policy", DashboardAssets.CONTENT_SECURITY_POLICY)
                .containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Referrer-Policy", "no-referrer");
        assertThat(DashboardAssets.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe");
    }

    @Test
    void givenFilesOfEachType_whenAsked_thenEachHasItsContentType() {
        assertThat(assets.answer("GET", "/ui/app.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(assets.answer("GET", "/ui/app.css").contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(assets.answer("GET", "/ui/js/pages/instance.js").status()).isEqualTo(200);
        assertThat(assets.answer("HEAD", "/ui/webjars/uplot/1.6.30/dist/uPlot.min.css").contentType()).isEqualTo("text/css; charset=utf-8");
    }

    @Test
    void givenEveryFileIndexHtmlAndTheModulesLoad_whenAsked_thenEachIsServed() throws IOException {
        List<String> wanted = new ArrayList<>();
        String index = resource("index.html");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"#:]+)\"").matcher(index);
        while (m.find()) wanted.add("/ui/" + m.group(1));
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/dashboard"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".js")).toList()) {
                Path dir = Path.of("src/main/resources/dashboard").relativize(f.getParent());
                Matcher imports = Pattern.compile("(?m)^import .* from '([^']+)';$|const UPLOT = '([^']+)'").matcher(Files.readString(f));
                while (imports.find()) {
                    String spec = imports.group(1) != null ? imports.group(1) : imports.group(2);
                    wanted.add("/ui/" + dir.resolve(spec).normalize().toString().replace('\\', '/'));
                }
            }
        }
        assertThat(wanted).contains("/ui/app.js", "/ui/js/pages/instance.js", "/ui/js/dom.js", "/ui/webjars/dagre/0.8.4/dist/dagre.min.js", "/ui/webjars/uplot/1.6.30/dist/uPlot.esm.js");
        for (String path : wanted) assertThat(assets.answer("GET", path).status()).as(path).isEqualTo(200);
    }

    @Test
    void givenAMissingFile_whenAsked_thenA404InJsonWithTheHeaders() {
        Asset a = assets.answer("GET", "/ui/missing.js");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(new String(a.body(), StandardCharsets.UTF_8)).contains("\"code\":\"not_found\"");
        assertThat(a.headers()).containsKey("Content-Security-Policy");
        assertThat(assets.answer("GET", "/ui/webjars/dagre/0.8.4/package.json").status()).isEqualTo(200);
        assertThat(assets.answer("GET", "/ui/webjars/dagre").status()).as("not a file").isEqualTo(404);
        assertThat(assets.answer("GET", "/ui/js").status()).as("a folder is no file").isEqualTo(404);
    }

    @Test
    void givenPathTraversal_whenAsked_thenRefusedAndNothingOutsideTheAssetFoldersIsServed() {
        for (String attack : List.of("/ui/../pom.xml", "/ui/%2e%2e/META-INF/MANIFEST.MF", "/ui/js/..%2f..%2fMETA-INF/MANIFEST.MF",
                "/ui/..%5cMETA-INF%5cMANIFEST.MF", "/ui/.hidden.js", "/ui/js//graph.js", "/ui/%00.js", "/ui/a%2fb.js",
                "/ui/webjars/../../net/reactory/workflow/bootstrap/Main.class", "/ui/webjars/x/y/..%2f..%2f..%2fMANIFEST.MF")) {
            Asset a = assets.answer("GET", attack);
            assertThat(a.status()).as(attack).isIn(400, 404);
            assertThat(new String(a.body(), StandardCharsets.UTF_8)).as(attack).doesNotContain("Manifest-Version");
        }
        assertThat(assets.answer("GET", "/ui/net/reactory/workflow/bootstrap/Main.class").status()).as("classes are not assets").isEqualTo(404);
        assertThat(assets.answer("GET", "/ui/webjars/META-INF/MANIFEST.MF").status()).isEqualTo(404);
    }

    @Test
    void givenAWrite_whenAsked_thenMethodNotAllowed() {
        Asset a = assets.answer("POST", "/ui/app.js");
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.headers()).containsEntry("Allow", "GET, HEAD");
    }

    @Test
    void givenThePagesScripts_whenRead_thenNoneBuildsMarkupFromStringsOrEvaluatesCode() throws IOException {
        Pattern unsafe = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function|setTimeout\\(\\s*['\"`]|\\bon[a-z]+\\s*=\\s*['\"]");
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/dashboard"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertThat(unsafe.matcher(text).find()).as("%s builds markup from strings, evaluates code or has an inline handler", f).isFalse();
                if (f.toString().endsWith(".html")) {
                    assertThat(text).as("%s: no inline script", f).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContain("style=");
                }
            }
        }
    }

    private String resource(String name) throws IOException {
        try (var in = getClass().getClassLoader().getResourceAsStream("dashboard/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
