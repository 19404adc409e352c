package net.reactory.workflow.application.service.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.port.in.InvalidInputException;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.step.ExecutionResult;


class InputSizeTest {

    record Order(String id, int amount, List<String> items) {
    }

    @Test
    void givenMapsListsStringsNumbersAndRecords_whenEstimated_thenExactJsonByteCount() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "Zoë");            // "name":"Zoë"  -> 6 + 1 + 6 (ë is two bytes)
        data.put("n", 42);                  // "n":42        -> 3 + 1 + 2
        data.put("ok", true);               // "ok":true     -> 4 + 1 + 4
        data.put("none", null);             // "none":null   -> 6 + 1 + 4
        data.put("order", new Order("a\"b", 7, List.of("x", "y")));
        String json = "{\"name\":\"Zoë\",\"n\":42,\"ok\":true,\"none\":null,\"order\":{\"id\":\"a\\\"b\",\"amount\":7,\"items\":[\"x\",\"y\"]}}";

        assertThat(InputValidation.estimateJsonBytes(data, Long.MAX_VALUE)).isEqualTo(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void givenIntegersAndLongsOfEveryLength_whenEstimated_thenTheirDecimalLength() {
        for (long v : new long[] {0, 7, -7, 10, -10, 99, 12345, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(InputValidation.estimateJsonBytes(v, Long.MAX_VALUE)).as("%d", v).isEqualTo(Long.toString(v).length());
            if (v == (int) v) assertThat(InputValidation.estimateJsonBytes((int) v, Long.MAX_VALUE)).isEqualTo(Long.toString(v).length());
        }
    }

    @Test
    void givenDataFarOverTheLimit_whenEstimated_thenWalkStopsJustPastTheLimit() {
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) big.add("x".repeat(100));

        long size = InputValidation.estimateJsonBytes(Map.of("rows", big), 1024 * 1024);

        assertThat(size).isGreaterThan(1024 * 1024).isLessThan(1024 * 1024 + 1000);
    }

    @Test
    void givenOneValueOverOrWithinTheLimit_whenChecked_thenRefusedAsTooLargeOrAccepted() {
        WorkflowDefinition definition = WorkflowDefinition.compile(Workflow.of("t", "W", "1.0.0",
                steps -> steps.startWith("A", ctx -> ExecutionResult.next())));

        assertThatThrownBy(() -> InputValidation.check(definition, "x".repeat(20), 21))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("larger than the limit of 21 bytes");
        assertThatThrownBy(() -> InputValidation.check(definition, 1234567L, 6)).isInstanceOf(InvalidInputException.class);
        InputValidation.check(definition, "x".repeat(20), 22);
        InputValidation.check(definition, 123456L, 6);
    }

    @Test
    void givenNestedDataOverTheLimit_whenChecked_thenRefusedAsTooLarge() {
        WorkflowDefinition definition = WorkflowDefinition.compile(Workflow.of("t", "W", "1.0.0",
                steps -> steps.startWith("A", ctx -> ExecutionResult.next())));

        assertThatThrownBy(() -> InputValidation.check(definition, List.of("x".repeat(20)), 23))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("larger than the limit");
        InputValidation.check(definition, List.of("x".repeat(20)), 24);
    }

    @Test
    void givenCyclicData_whenEstimated_thenTreatedAsTooLarge() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);

        assertThat(InputValidation.estimateJsonBytes(cycle, 1000)).isGreaterThan(1000);
    }
}
