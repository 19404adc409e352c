package net.reactory.workflow.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryNamesTest {

    @Test
    void givenTwoWaitsOfOneStep_whenNumbered_thenEachKeepsItsOwnNumberAndName() {
        HistoryNames names = new HistoryNames();

        int paid = names.id("Wait", "paid");
        int shipped = names.id("Wait", "shipped");

        assertThat(paid).isPositive().isNotEqualTo(shipped);
        // Equal text in other objects, as a definition loaded again would have: the same numbers.
        assertThat(names.id(new String("Wait"), new String("paid"))).isEqualTo(paid);
        assertThat(names.id("Wait", "shipped")).isEqualTo(shipped);
        assertThat(names.name(paid)).isEqualTo(new HistoryNames.Wait("Wait", "paid"));
        assertThat(names.name(shipped)).isEqualTo(new HistoryNames.Wait("Wait", "shipped"));
    }

    @Test
    void givenAStepAndAWaitOfTheSameName_whenNumbered_thenTheirNumbersDiffer() {
        HistoryNames names = new HistoryNames();

        int step = names.id("Wait");
        int wait = names.id("Wait", "paid");

        assertThat(step).isNotEqualTo(wait);
        assertThat(names.id("Wait")).isEqualTo(step);
        assertThat(names.name(step)).isEqualTo("Wait");
    }

    @Test
    void givenAWaitWithANullName_whenNumberedTwice_thenItKeepsOneNumber() {
        HistoryNames names = new HistoryNames();

        int first = names.id("Wait", null);

        assertThat(first).isPositive();
        assertThat(names.id("Wait", null)).isEqualTo(first);
        assertThat(names.name(first)).isEqualTo(new HistoryNames.Wait("Wait", null));
    }

    @Test
    void givenAFullTable_whenANewWaitIsNumbered_thenItHasNoneAndTheKnownOnesKeepTheirs() {
        HistoryNames names = new HistoryNames(1);
        int paid = names.id("Wait", "paid");

        assertThat(names.id("Wait", "shipped")).isZero();
        assertThat(names.id("Wait", "paid")).isEqualTo(paid);
    }
}
