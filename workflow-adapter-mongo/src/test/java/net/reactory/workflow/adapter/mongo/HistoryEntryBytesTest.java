package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.out.HistoryEntry;
import net.reactory.workflow.domain.instance.StepError;

class HistoryEntryBytesTest {

    private static final Instant AT = Instant.parse("2026-12-04T19:00:00.123456789Z");

    @Test
    void givenAnEntryWithEveryField_whenEncodedAndDecoded_thenItIsTheSame() {
        StepError error = new StepError("Charge", "IOException", "carte refusée ✗", 3, AT.minusNanos(1));
        HistoryEntry entry = new HistoryEntry(42, AT, "WorkflowSuspended", "workflow.suspended", "Charge", 7, error,
                "alice@10.0.0.1", "http", "line one\nline two");

        assertThat(HistoryEntryBytes.decode(HistoryEntryBytes.encode(entry))).isEqualTo(entry);
    }

    @Test
    void givenAnEntryWithOnlyItsRequiredFields_whenEncodedAndDecoded_thenTheOthersStayNull() {
        HistoryEntry entry = new HistoryEntry(1, AT, "WorkflowStarted", "workflow.started", null, null, null, null, null, null);

        HistoryEntry back = HistoryEntryBytes.decode(HistoryEntryBytes.encode(entry));

        assertThat(back).isEqualTo(entry);
        assertThat(back.pointer()).isNull();
        assertThat(back.error()).isNull();
    }

    @Test
    void givenBytesOfAnotherVersion_whenDecoded_thenTheErrorNamesTheVersion() {
        byte[] bytes = HistoryEntryBytes.encode(new HistoryEntry(1, AT, "WorkflowStarted", "workflow.started", null, null, null, null, null, null));
        bytes[0] = 9;

        assertThatThrownBy(() -> HistoryEntryBytes.decode(bytes)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 9");
    }

    @Test
    void givenBytesCutShort_whenDecoded_thenTheErrorSaysSo() {
        byte[] bytes = HistoryEntryBytes.encode(new HistoryEntry(1, AT, "StepCompleted", "step.completed.1", "S1", 1, null, null, null, null));

        assertThatThrownBy(() -> HistoryEntryBytes.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
    }

    @Test
    void givenAnEncodedEntry_whenItsRevisionIsRead_thenItIsTheEntrysWithoutDecodingTheRest() {
        byte[] bytes = HistoryEntryBytes.encode(new HistoryEntry(Long.MAX_VALUE - 5, AT, "StepCompleted", "step.completed.1", "S1", 1, null, null, null, null));

        assertThat(HistoryEntryBytes.revision(bytes)).isEqualTo(Long.MAX_VALUE - 5);
        bytes[0] = 9;
        assertThatThrownBy(() -> HistoryEntryBytes.revision(bytes)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 9");
        assertThatThrownBy(() -> HistoryEntryBytes.revision(Arrays.copyOf(bytes, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 bytes is cut short");
    }
}
