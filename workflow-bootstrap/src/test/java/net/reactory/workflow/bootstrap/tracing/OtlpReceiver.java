package net.reactory.workflow.bootstrap.tracing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;

/**
 * A collector for tests: an OTLP/HTTP receiver on loopback taking {@code POST /v1/traces} in protobuf (what the Java
 * exporter sends with {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}), decoded by hand with the few OTLP fields a
 * test asserts on, so that no protobuf library is needed.
 */
final class OtlpReceiver implements AutoCloseable {

    record Link(String traceId, String spanId) {
    }

    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, Map<String, Object> attributes,
                        List<String> events, List<Link> links) {
        String attribute(String key) {
            Object value = attributes.get(key);
            return value == null ? null : value.toString();
        }

        boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) body = new GZIPInputStream(body);
                byte[] bytes = body.readAllBytes();
                int status = 200;
                try {
                    request(new Reader(bytes));
                } catch (RuntimeException unreadable) {
                    status = 400;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    List<ReceivedSpan> named(String name) {
        return spans.stream().filter(s -> s.name().equals(name)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ------------------------------------------------------------------ OTLP, opentelemetry/proto/trace/v1/trace.proto

    /** ExportTraceServiceRequest: 1 resource_spans. */
    private void request(Reader r) {
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 1) resourceSpans(r.message());
            else r.skip(tag);
        }
    }

    /** ResourceSpans: 1 resource, 2 scope_spans. The resource comes first on the wire, as the exporter writes it. */
    private void resourceSpans(Reader r) {
        String service = "";
        List<Reader> scopes = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> {
                    Reader resource = r.message();
                    while (resource.more()) {
                        int t = resource.tag();
                        if (t >>> 3 == 1) {
                            Map.Entry<String, Object> kv = keyValue(resource.message());
                            if (kv.getKey().equals("service.name")) service = String.valueOf(kv.getValue());
                        } else {
                            resource.skip(t);
                        }
                    }
                }
                case 2 -> scopes.add(r.message());
                default -> r.skip(tag);
            }
        }
        for (Reader scope : scopes) {
            while (scope.more()) {
                int tag = scope.tag();
                if (tag >>> 3 == 2) spans.add(span(service, scope.message()));
                else scope.skip(tag);
            }
        }
    }

    /** Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes, 11 events (2 name), 13 links (1 trace_id, 2 span_id). */
    private static ReceivedSpan span(String service, Reader r) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        Map<String, Object> attributes = new HashMap<>();
        List<String> events = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> traceId = r.hex();
                case 2 -> spanId = r.hex();
                case 4 -> parent = r.hex();
                case 5 -> name = r.string();
                case 9 -> {
                    Map.Entry<String, Object> kv = keyValue(r.message());
                    attributes.put(kv.getKey(), kv.getValue());
                }
                case 11 -> {
                    Reader event = r.message();
                    while (event.more()) {
                        int t = event.tag();
                        if (t >>> 3 == 2) events.add(event.string());
                        else event.skip(t);
                    }
                }
                case 13 -> {
                    Reader link = r.message();
                    String linkTrace = "";
                    String linkSpan = "";
                    while (link.more()) {
                        int t = link.tag();
                        switch (t >>> 3) {
                            case 1 -> linkTrace = link.hex();
                            case 2 -> linkSpan = link.hex();
                            default -> link.skip(t);
                        }
                    }
                    links.add(new Link(linkTrace, linkSpan));
                }
                default -> r.skip(tag);
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, attributes, events, links);
    }

    /** KeyValue: 1 key, 2 value (AnyValue: 1 string, 2 bool, 3 int, 4 double; others are skipped). */
    private static Map.Entry<String, Object> keyValue(Reader r) {
        String key = "";
        Object value = null;
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 1) {
                key = r.string();
            } else if (tag >>> 3 == 2) {
                Reader any = r.message();
                while (any.more()) {
                    int t = any.tag();
                    switch (t >>> 3) {
                        case 1 -> value = any.string();
                        case 2 -> value = any.varint() != 0;
                        case 3 -> value = any.varint();
                        case 4 -> value = Double.longBitsToDouble(any.fixed64());
                        default -> any.skip(t);
                    }
                }
            } else {
                r.skip(tag);
            }
        }
        return Map.entry(key, value == null ? "" : value);
    }

    /** The protobuf wire format: varints, 64- and 32-bit fixed values, length-delimited fields. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;
        private final int end;

        Reader(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private Reader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean more() {
            return position < end;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = bytes[position++];
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new IllegalStateException("malformed varint");
        }

        long fixed64() {
            long result = 0;
            for (int i = 0; i < 8; i++) result |= (long) (bytes[position++] & 0xff) << (8 * i);
            return result;
        }

        Reader message() {
            int length = (int) varint();
            Reader inner = new Reader(bytes, position, position + length);
            position += length;
            return inner;
        }

        String string() {
            int length = (int) varint();
            String s = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return s;
        }

        String hex() {
            int length = (int) varint();
            String s = HexFormat.of().formatHex(bytes, position, position + length);
            position += length;
            return s;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> position += 8;
                case 2 -> {
                    int length = (int) varint(); // read first: "position += varint()" would add to the position before the length
                    position += length;
                }
                case 5 -> position += 4;
                default -> throw new IllegalStateException("unknown wire type " + (tag & 7));
            }
        }
    }
}
