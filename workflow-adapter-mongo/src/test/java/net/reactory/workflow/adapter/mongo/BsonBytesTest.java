package net.reactory.workflow.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonBinaryWriter;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoClientSettings;

/** The store's own BSON writer writes the same bytes as the driver's codec for the same document. */
class BsonBytesTest {

    private static byte[] driver(Document document) {
        BasicOutputBuffer out = new BasicOutputBuffer();
        new DocumentCodec(MongoClientSettings.getDefaultCodecRegistry()).encode(new BsonBinaryWriter(out), document,
                EncoderContext.builder().build());
        return out.toByteArray();
    }

    private static byte[] bytes(RawBsonDocument raw) {
        byte[] copy = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().get(copy);
        return copy;
    }

    @Test
    void givenEveryValueTypeTheDocumentsHold_whenWritten_thenTheBytesAreTheDriversAndReadBackEqual() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("n", 1);
        nested.put("list", List.of("a", 2L, List.of(true, 3.5)));
        Document document = new Document("_id", "id-1")
                .append("s", "plain").append("unicode", "grüße, 日本, \uD83D\uDE00").append("zero", "a\u0000b")
                .append("i", -7).append("l", 1L << 40).append("d", 0.1).append("b", false).append("none", null)
                .append("date", new Date(1_700_000_000_123L)).append("dec", new Decimal128(new BigDecimal("12.3400")))
                .append("oid", new ObjectId("65a1b2c3d4e5f60718293a4b")).append("bin", new Binary((byte) 0x80, new byte[]{1, 2, 3}))
                .append("map", nested).append("ts", new BsonTimestamp(5, 6))
                .append("long list", java.util.stream.IntStream.range(0, 70).boxed().toList());

        BsonBytes out = new BsonBytes(16);
        int at = out.start();
        for (Map.Entry<String, Object> e : document.entrySet()) out.value(e.getKey(), e.getValue());
        out.end(at);

        assertThat(bytes(out.toRaw())).isEqualTo(driver(document));
        assertThat(out.toRaw().getString("unicode").getValue()).isEqualTo("grüße, 日本, \uD83D\uDE00");
        assertThat(out.toRaw().getString("zero").getValue()).isEqualTo("a\u0000b");
    }

    @Test
    void givenFieldNameWithZeroCharacter_whenWritten_thenRefused() {
        BsonBytes out = new BsonBytes(16);
        out.start();
        assertThatThrownBy(() -> out.string("bad\u0000name", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero");
    }
}
