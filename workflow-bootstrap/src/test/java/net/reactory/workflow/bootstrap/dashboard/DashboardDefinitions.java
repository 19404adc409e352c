package net.reactory.workflow.bootstrap.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON workflows the dashboard tests load through WORKFLOW_DEFINITIONS_DIR. */
final class DashboardDefinitions {

    static final String XSS = "<img src=x onerror=alert(1)>";
    static final String XSS_DATA = "<img src=x onerror=alert(3)>";
    /** Steps of shop.Order as the daemon compiles it: containers' blocks and compensations are steps too. */
    static final int ORDER_STEPS = 16;

    private DashboardDefinitions() {
    }

    static Path write(Path dir) throws IOException {
        Path defs = Files.createDirectories(dir.resolve("definitions"));
        // A decide, a loop, a parallel, a saga with a compensation, a wait and a delay: every shape the page draws.
        Files.writeString(defs.resolve("order.json"), """
                {"nameSpace": "shop", "name": "Order", "version": "1.0.0",
                 "steps": [
                  {"name": "Receive", "type": "log", "params": {"message": "order ${orderId}"}},
                  {"name": "Route", "type": "decide", "on": "kind", "branches": {
                     "express": [{"name": "Express", "type": "set-data", "values": {"lane": "express"}}],
                     "normal": [{"name": "Normal", "type": "set-data", "values": {"lane": "normal"}}]}},
                  {"name": "Lines", "type": "foreach", "items": "lines", "steps": [{"name": "Pick", "type": "log", "params": {"message": "pick"}}]},
                  {"name": "Prepare", "type": "parallel", "branches": [
                     [{"name": "Pack", "type": "log", "params": {"message": "pack"}}],
                     [{"name": "Invoice", "type": "log", "params": {"message": "invoice"}}]]},
                  {"name": "Pay", "type": "saga", "steps": [
                     {"name": "Charge", "type": "set-data", "values": {"charged": true},
                      "compensateWith": [{"name": "Refund", "type": "set-data", "values": {"charged": false}}]},
                     {"name": "Ship", "type": "log", "params": {"message": "ship"}}]},
                  {"name": "Delivered", "type": "wait-for-event", "event": "delivered", "key": "${orderId}"},
                  {"name": "Cool", "type": "delay", "duration": "PT0.2S"},
                  {"name": "Done", "type": "set-data", "values": {"status": "done"}}]}
                """);
        Files.writeString(defs.resolve("quick.json"), """
                {"nameSpace": "shop", "name": "Quick", "version": "1.0.0",
                 "steps": [{"name": "Only", "type": "set-data", "values": {"quick": true}}]}
                """);
        Files.writeString(defs.resolve("parked.json"), """
                {"nameSpace": "shop", "name": "Parked", "version": "1.0.0",
                 "steps": [{"name": "Park", "type": "delay", "duration": "PT1H"}, {"name": "After", "type": "set-data", "values": {"x": 1}}]}
                """);
        Files.writeString(defs.resolve("bulk-1.json"), """
                {"nameSpace": "shop", "name": "Bulk", "version": "1.0.0",
                 "steps": [{"name": "Hold", "type": "wait-for-event", "event": "release", "key": "${n}"}]}
                """);
        Files.writeString(defs.resolve("bulk-2.json"), """
                {"nameSpace": "shop", "name": "Bulk", "version": "2.0.0",
                 "steps": [{"name": "Hold", "type": "wait-for-event", "event": "release", "key": "${n}"}]}
                """);
        Files.writeString(defs.resolve("xss.json"), """
                {"nameSpace": "xss", "name": "%s", "version": "1.0.0",
                 "steps": [{"name": "<img src=x onerror=alert(2)>", "type": "wait-for-event", "event": "never", "key": "k"}]}
                """.formatted(XSS));
        return defs;
    }
}
