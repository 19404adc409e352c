package net.reactory.workflow.adapter.amqp;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.port.out.WorkSignalContract;

/** Each node its own connections to the broker, as separate runner processes have. */
class AmqpWorkSignalTest extends WorkSignalContract {

    private final List<AmqpConnector> nodes = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void newCluster() {
        RabbitBroker.require();
        prefix = RabbitBroker.newPrefix();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(AmqpConnector::close);
        if (prefix != null) RabbitBroker.deleteTopology(prefix);
    }

    @Override
    protected WorkSignal newNode() throws Exception {
        AmqpConnector connector = AmqpConnector.connect(RabbitBroker.config(prefix));
        nodes.add(connector);
        return new AmqpWorkSignal(connector, "node-" + nodes.size());
    }
}
