package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.AuditEntry;

class MongoAuditLogTest {

    private final MongoAuditLog audit = new MongoAuditLog(TestMongo.freshDatabase()).createIndexes();

    @Test
    void givenEntriesRecorded_whenRecentAsked_thenNewestFirstEqualAndLimited() {
        AuditEntry first = new AuditEntry(Instant.parse("2026-06-01T12:00:00.000000001Z"), "zoë", "api", "start", "demo.Greet@1.0.0", "accepted", "id-1");
        AuditEntry second = new AuditEntry(Instant.parse("2026-06-01T12:00:00.000000002Z"), "system", "auto-start", "start", "x.Y@1.0.0", "refused", null);
        AuditEntry third = new AuditEntry(Instant.parse("2026-06-01T12:00:01Z"), "ops", "http", "terminate", "id-1", "accepted", "TERMINATED");

        audit.record(first);
        audit.record(second);
        audit.record(third);

        assertThat(audit.recent(2)).containsExactly(third, second);
        assertThat(audit.recent(10)).containsExactly(third, second, first);
        assertThat(audit.recent(0)).isEmpty();
    }
}
