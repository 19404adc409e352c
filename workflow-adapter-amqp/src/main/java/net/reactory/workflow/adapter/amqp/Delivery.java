package net.reactory.workflow.adapter.amqp;

import com.rabbitmq.client.AMQP;

/** One message taken from the command queue, not yet acknowledged. */
record Delivery(long tag, boolean redelivered, AMQP.BasicProperties props, byte[] body) {
}
