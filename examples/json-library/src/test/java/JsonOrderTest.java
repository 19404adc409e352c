import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Runs the JSON library example as it stands and checks it prints what the README says it prints. */
class JsonOrderTest {

    @Test
    void givenTheJsonLibraryExample_whenMainRuns_thenItPrintsTheCompletedInstance() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            JsonOrder.main(new String[0]);
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).contains("COMPLETE {items=3, total=120, review=true, status=priced 120}");
    }
}
