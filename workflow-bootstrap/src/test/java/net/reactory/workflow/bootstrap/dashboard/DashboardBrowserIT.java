package net.reactory.workflow.bootstrap.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import net.reactory.workflow.bootstrap.http.DashboardAssets;
import net.reactory.workflow.bootstrap.http.DaemonProcess;

/** The dashboard of the real jar, in headless Chromium, against a daemon with a token and JSON definitions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {

    static final String TOKEN = "dashboard-it-token-0123456789";

    DaemonProcess daemon;
    Chromium browser;
    final List<String> orders = new ArrayList<>();
    final List<String> quick = new ArrayList<>();
    String xssInstance;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        Path definitions = DashboardDefinitions.write(work);
        daemon = DaemonProcess.launch(work, Map.of("WORKFLOW_ADMIN_TOKEN", TOKEN, "WORKFLOW_HTTP_PORT", "0",
                "WORKFLOW_DEFINITIONS_DIR", definitions.toString())).awaitReady();
        for (int i = 0; i < 3; i++) {
            orders.add(started(daemon.post("/api/v1/instances",
                    "{\"workflow\":\"shop.Order\",\"reference\":\"order-" + i + "\",\"data\":{\"orderId\":\"o-" + i + "\",\"kind\":\"express\",\"lines\":[1,2]}}")));
        }
        for (int i = 0; i < 4; i++) quick.add(started(daemon.post("/api/v1/instances", "{\"workflow\":\"shop.Quick\"}")));
        xssInstance = started(daemon.post("/api/v1/instances", "{\"workflow\":\"xss." + DashboardDefinitions.XSS
                + "\",\"data\":{\"note\":\"" + DashboardDefinitions.XSS_DATA + "\",\"" + DashboardDefinitions.XSS_DATA + "\":1}}"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String id : quick) assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("COMPLETE");
            for (String id : orders) {
                assertThat(daemon.get("/api/v1/instances/" + id).json().path("pointers").findValues("waitingFor").stream()
                        .anyMatch(w -> !w.isNull())).as("order %s waits for its delivery", id).isTrue();
            }
        });
        browser = Chromium.open(daemon.url());
    }

    private static String started(DaemonProcess.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) browser.close();
        } finally {
            if (daemon != null) {
                assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
                daemon.close();
            }
        }
    }

    @AfterEach
    void noScriptErrors() {
        if (browser != null) assertThat(browser.consoleErrors()).as("script errors and CSP refusals in the console").isEmpty();
    }

    /** The token in session storage, as the login form leaves it. */
    private void signIn() {
        browser.go("/definitions");
        browser.js("sessionStorage.setItem('workflow.dashboard.token', arguments[0])", TOKEN);
    }

    @Test
    void givenDaemonWithToken_whenOpened_thenTheLoginFormAsksForItAndLeadsToTheDefinitions() throws Exception {
        browser.go("/definitions");
        browser.js("sessionStorage.clear()");
        browser.go("/definitions");
        WebElement input = browser.await("#login-form #token");
        browser.screenshot("login");
        input.sendKeys("wrong-token");
        browser.driver().findElement(By.cssSelector("#login-form button[type=submit]")).click();
        assertThat(browser.await("#login-form .note-error").getText()).contains("refused");
        input.clear();
        input.sendKeys(TOKEN);
        browser.driver().findElement(By.cssSelector("#login-form button[type=submit]")).click();
        browser.await("svg.graph g.node");
        assertThat(browser.js("return sessionStorage.getItem('workflow.dashboard.token')")).isEqualTo(TOKEN);
        assertThat(browser.driver().manage().getCookies()).as("the token is never a cookie").isEmpty();
    }

    @Test
    void givenDefinitionWithDecideLoopParallelAndSaga_whenShown_thenTheGraphHasANodePerStepAndItsEdges() throws Exception {
        signIn();
        browser.go("/definitions/shop.Order@1.0.0");
        browser.await("svg.graph g.node");
        List<String> names = new ArrayList<>();
        for (WebElement node : browser.all("svg.graph g.node")) names.add(node.getAttribute("data-step"));
        assertThat(names).hasSize(DashboardDefinitions.ORDER_STEPS)
                .contains("Receive", "Route", "Express", "Normal", "Lines", "Pick", "Prepare", "Pack", "Invoice", "Pay", "Charge", "Refund",
                        "Ship", "Delivered", "Cool", "Done");
        assertThat(browser.driver().findElement(By.cssSelector("svg.graph")).getAttribute("data-layout")).as("laid out by dagre").isEqualTo("dagre");
        assertThat(browser.driver().findElement(By.cssSelector("svg.graph g.node[data-step=Route]")).getAttribute("data-kind")).isEqualTo("decide");
        List<WebElement> edges = browser.all("svg.graph g.edge");
        assertThat(edges.size()).as("edges: start, next steps and both decision outcomes").isGreaterThanOrEqualTo(12);
        assertThat(browser.all("svg.graph g.edge-outcome")).hasSize(2);
        for (WebElement e : edges) assertThat(e.findElement(By.tagName("path")).getAttribute("d")).startsWith("M");
        // Nodes are laid out apart from each other: no two at the same place.
        Set<String> places = new HashSet<>();
        for (WebElement node : browser.all("svg.graph g.node")) places.add(node.getAttribute("transform"));
        assertThat(places).hasSize(DashboardDefinitions.ORDER_STEPS);
        assertThat(browser.driver().findElement(By.cssSelector(".definition-list")).getText()).contains("shop.Order", "shop.Quick", "shop.Bulk");
        browser.screenshot("definitions");
    }

    @Test
    void givenInstancesOfTwoWorkflows_whenFilteredByStatusAndDefinition_thenOnlyTheMatchingRowsAreListed() throws Exception {
        signIn();
        browser.go("/instances");
        browser.await("#instance-table tbody tr[data-id]");
        new Select(browser.driver().findElement(By.id("filter-definition"))).selectByValue("shop.Quick");
        new Select(browser.driver().findElement(By.id("filter-status"))).selectByValue("COMPLETE");
        browser.driver().findElement(By.id("apply-filter")).click();
        browser.until(d -> d.getCurrentUrl().contains("definition=shop.Quick") && d.getCurrentUrl().contains("status=COMPLETE"));
        List<String> shown = browser.until(d -> rows().size() == quick.size() ? rows() : null);
        assertThat(shown).containsExactlyInAnyOrderElementsOf(quick);
        for (WebElement row : browser.all("#instance-table tbody tr[data-id]")) {
            assertThat(row.getAttribute("data-status")).isEqualTo("COMPLETE");
            assertThat(row.getText()).contains("shop.Quick@1.0.0");
        }
        browser.screenshot("instances");

        browser.go("/instances?definition=shop.Order&status=RUNNABLE");
        List<String> running = browser.until(d -> rows().size() == orders.size() ? rows() : null);
        assertThat(running).containsExactlyInAnyOrderElementsOf(orders);
        browser.go("/instances?definition=shop.Quick&status=RUNNABLE");
        browser.await("#instance-table td.empty");
        assertThat(rows()).isEmpty();
    }

    private List<String> rows() {
        List<String> ids = new ArrayList<>();
        for (WebElement row : browser.all("#instance-table tbody tr[data-id]")) ids.add(row.getAttribute("data-id"));
        return ids;
    }

    @Test
    void givenInstanceWaitingForAnEvent_whenOpened_thenGraphDataAndTimelineShowAndPublishingTheEventCompletesIt() throws Exception {
        signIn();
        String id = orders.get(0);
        browser.go("/instance/" + id);
        assertThat(browser.await("#instance-id").getText()).isEqualTo(id);
        WebElement waiting = browser.until(d -> d.findElement(By.cssSelector("#instance-graph g.node[data-step=Delivered]")));
        assertThat(waiting.getAttribute("data-state")).isEqualTo("waiting");
        assertThat(browser.all("#instance-graph g.node[data-state=done]").size()).as("steps already done are marked").isGreaterThanOrEqualTo(5);
        assertThat(browser.driver().findElement(By.id("instance-data")).getText()).contains("\"orderId\": \"o-0\"");
        assertThat(browser.all("#timeline li.event").size()).as("timeline events").isGreaterThanOrEqualTo(3);
        assertThat(browser.driver().findElement(By.id("instance-summary")).getText()).contains("lease owner");
        browser.screenshot("instance");

        browser.driver().findElement(By.id("action-publish")).click();
        WebElement dialog = browser.await("dialog.confirm");
        assertThat(dialog.findElement(By.name("key")).getAttribute("value")).isEqualTo("o-0");
        dialog.findElement(By.name("data")).sendKeys("{\"signedBy\": \"dashboard\"}");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        browser.until(d -> d.findElement(By.cssSelector(".instance-head .badge")).getText().equals("COMPLETE"));
        assertThat(daemon.get("/api/v1/instances/" + id).json().path("status").asText()).isEqualTo("COMPLETE");
    }

    @Test
    void givenParkedInstance_whenSuspendedAndResumedOnItsPage_thenTheDaemonRecordsBothWithTheDashboardAsCaller() throws Exception {
        String id = started(daemon.post("/api/v1/instances", "{\"workflow\":\"shop.Parked\"}"));
        signIn();
        browser.go("/instance/" + id);
        browser.until(d -> d.findElement(By.id("action-suspend"))).click();
        WebElement dialog = browser.await("dialog.confirm");
        dialog.findElement(By.name("reason")).sendKeys("maintenance window");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        browser.until(d -> d.findElement(By.cssSelector(".instance-head .badge")).getText().equals("SUSPENDED"));
        browser.until(d -> d.findElement(By.id("action-resume"))).click();
        browser.await("dialog.confirm").findElement(By.cssSelector("button[type=submit]")).click();
        browser.until(d -> d.findElement(By.cssSelector(".instance-head .badge")).getText().equals("RUNNABLE"));
        List<String> commands = new ArrayList<>();
        daemon.get("/api/v1/instances/" + id).json().path("commands").forEach(c ->
                commands.add(c.path("command").asText() + " " + c.path("actor").asText()));
        assertThat(commands).contains("suspend dashboard@127.0.0.1", "resume dashboard@127.0.0.1");
    }

    @Test
    void givenWorkflowNamedAsMarkup_whenListedAndItsInstanceOpened_thenEverythingRendersAsTextAndNothingRuns() throws Exception {
        signIn();
        browser.go("/definitions");
        browser.until(d -> d.findElement(By.cssSelector(".definition-list")).getText().contains("xss." + DashboardDefinitions.XSS));
        browser.go("/instances?definition=xss." + java.net.URLEncoder.encode(DashboardDefinitions.XSS, java.nio.charset.StandardCharsets.UTF_8));
        browser.until(d -> rows().contains(xssInstance));
        assertThat(browser.driver().findElement(By.id("instance-table")).getText()).contains("xss." + DashboardDefinitions.XSS + "@1.0.0");
        assertThat(browser.all("main img")).as("no markup made from data").isEmpty();
        browser.go("/instance/" + xssInstance);
        browser.until(d -> d.findElement(By.id("instance-data")).getText().contains(DashboardDefinitions.XSS_DATA));
        assertThat(browser.driver().findElement(By.cssSelector(".instance-head")).getText()).contains("xss." + DashboardDefinitions.XSS);
        browser.until(d -> d.findElement(By.id("instance-graph")).getText().length() > 0);
        assertThat(browser.all("main img")).as("no markup made from data").isEmpty();
        assertThat(browser.js("return document.querySelectorAll('[onerror]').length")).isEqualTo(0L);
        assertThat(browser.alertOpen()).as("no alert ran").isFalse();
        browser.screenshot("xss");
    }

    @Test
    void givenPagesWhoseEndpointsMayBeMissing_whenOpened_thenEachShowsItsContentOrAVisibleNote() throws Exception {
        signIn();
        browser.go("/metrics");
        browser.until(d -> d.findElements(By.cssSelector("#charts .chart, #charts .note")).size() > 0);
        browser.await("#readiness table");
        browser.screenshot("metrics");
        // The chart library itself, as the page loads it (same origin, under the page's CSP), draws a chart.
        Object canvases = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/ui/webjars/uplot/1.6.30/dist/uPlot.esm.js').then(m => {
                  const box = document.createElement('div');
                  document.body.append(box);
                  new m.default({ width: 300, height: 150, series: [{}, { label: 'started', stroke: 'red' }] }, [[1, 2, 3], [1, 3, 2]], box);
                  done(box.querySelectorAll('canvas').length);
                }).catch(e => done('failed: ' + e));
                """);
        assertThat(canvases).isEqualTo(1L);

        browser.go("/api");
        browser.until(d -> d.findElements(By.cssSelector(".operations details, .page-api .note")).size() > 0);
        browser.screenshot("api");

        browser.go("/bulk?definition=shop.Parked&status=RUNNABLE");
        browser.await("#bulk-preview").click();
        browser.until(d -> d.findElements(By.cssSelector("#bulk-result .note")).size() > 0);
        browser.screenshot("bulk");
    }

    @Test
    void givenTheAssets_whenFetchedWithoutToken_thenTheyCarryTheSecurityHeadersAndTheirTypes() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        Map<String, String> types = Map.of(
                "/ui/", "text/html", "/ui/app.js", "text/javascript", "/ui/app.css", "text/css",
                "/ui/js/graph.js", "text/javascript", "/ui/webjars/dagre/0.8.4/dist/dagre.min.js", "text/javascript",
                "/ui/webjars/uplot/1.6.30/dist/uPlot.esm.js", "text/javascript");
        for (var e : types.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(daemon.url() + e.getKey())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(e.getKey()).hasValueSatisfying(t -> assertThat(t).startsWith(e.getValue()));
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(e.getKey()).contains(DashboardAssets.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        }
        HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).contains("/ui/");
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/ui/nothing-here.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(DaemonProcess.JSON.readTree(missing.body()).path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(missing.headers().firstValue("Content-Security-Policy")).isPresent();
        for (String attack : List.of("/ui/../pom.xml", "/ui/%2e%2e/%2e%2e/META-INF/MANIFEST.MF", "/ui/webjars/..%2f..%2fMETA-INF/MANIFEST.MF",
                "/ui/js/%2e%2e%2f%2e%2e%2fnet/reactory/workflow/bootstrap/Main.class", "/ui/..%5c..%5cMETA-INF%5cMANIFEST.MF")) {
            DaemonProcess.Reply r = daemon.raw("GET " + attack + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", null);
            assertThat(r.status()).as(attack).isIn(400, 404);
            assertThat(r.body()).as(attack).doesNotContain("Manifest-Version").doesNotContain("<project");
        }
        DaemonProcess.Reply api = daemon.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/api/v1/definitions")).GET(), null);
        assertThat(api.status()).as("the API itself still wants the token").isEqualTo(401);
    }
}
