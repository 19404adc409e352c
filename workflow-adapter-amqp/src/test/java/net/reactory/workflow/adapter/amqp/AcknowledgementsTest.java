package net.reactory.workflow.adapter.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Multiple acks only over the contiguous prefix of finished deliveries, whatever order the commands finish in. */
class AcknowledgementsTest {

    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final Acknowledgements.Wire wire = new Acknowledgements.Wire() {
        @Override
        public void ack(long tag, boolean multiple) {
            frames.add((multiple ? "ack-multiple " : "ack ") + tag);
        }

        @Override
        public void nack(long tag) {
            frames.add("nack " + tag);
        }

        @Override
        public void reject(long tag) {
            frames.add("reject " + tag);
        }
    };
    private Acknowledgements acks;

    @AfterEach
    void close() {
        if (acks != null) acks.close();
    }

    private void deliver(long from, long to) {
        for (long tag = from; tag <= to; tag++) acks.delivered(tag);
    }

    @Test
    void givenDeliveriesFinishingOutOfOrder_whenTheOldestFinishesLast_thenOneMultipleAckCoversThemAll() {
        acks = new Acknowledgements(wire, 64, 100, 600_000);
        deliver(1, 5);

        acks.ack(3);
        acks.ack(2);
        acks.ack(5);
        assertThat(frames).as("nothing finished below the oldest unfinished one").isEmpty();
        acks.ack(1);
        assertThat(frames).as("1..3 wait for their batch while 4 is in hand").isEmpty();
        acks.ack(4);

        assertThat(frames).containsExactly("ack-multiple 5");
        assertThat(acks.unsettled()).isZero();
    }

    @Test
    void givenAFullBatchBelowAnUnfinishedDelivery_whenItFinishes_thenTheAckStopsAtTheNewestFinishedTagOfThePrefix() {
        acks = new Acknowledgements(wire, 3, 100, 600_000);
        deliver(1, 6);

        acks.ack(1);
        acks.ack(2);
        acks.ack(5);
        acks.ack(3);

        assertThat(frames).containsExactly("ack-multiple 3");
        acks.ack(6);
        acks.ack(4);
        assertThat(frames).containsExactly("ack-multiple 3", "ack-multiple 6");
    }

    @Test
    void givenANackInTheMiddle_whenTheRestFinish_thenTheNackGoesAtOnceAndTheMultipleAckNamesAnAcknowledgeableTag() {
        acks = new Acknowledgements(wire, 2, 100, 600_000);
        deliver(1, 4);

        acks.ack(1);
        acks.nack(2);
        acks.reject(4);
        acks.ack(3);

        assertThat(frames).containsExactly("nack 2", "reject 4", "ack-multiple 3");
    }

    @Test
    void givenManyFinishedBehindASlowDelivery_whenTheyExceedTheLimit_thenTheyAreAcknowledgedOneByOneAndTheSlowOneLater() {
        acks = new Acknowledgements(wire, 64, 3, 600_000);
        deliver(1, 6);

        acks.ack(2);
        acks.ack(3);
        acks.ack(4);
        assertThat(frames).isEmpty();
        acks.ack(5);
        assertThat(frames).containsExactly("ack 2", "ack 3", "ack 4", "ack 5");
        acks.ack(1);
        acks.ack(6);

        assertThat(frames).containsExactly("ack 2", "ack 3", "ack 4", "ack 5", "ack-multiple 6");
    }

    @Test
    void givenAPartialBatch_whenNoMoreDeliveriesFinish_thenTheLingerSendsIt() {
        acks = new Acknowledgements(wire, 64, 100, 20);
        deliver(1, 2);

        acks.ack(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> frames.contains("ack-multiple 1"));
        assertThat(frames).containsExactly("ack-multiple 1");
    }

    @Test
    void givenAPartialBatch_whenClosed_thenItIsSentBeforeTheChannelCloses() {
        acks = new Acknowledgements(wire, 64, 100, 600_000);
        deliver(1, 3);
        acks.ack(1);
        acks.ack(2);

        acks.close();

        assertThat(frames).containsExactly("ack-multiple 2");
    }
}
