package net.reactory.workflow.adapter.mongo;

import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonDocumentWrapper;
import org.bson.BsonWriter;
import org.bson.Document;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import com.mongodb.MongoClientSettings;

/**
 * Writes the store's documents straight to the wire: a switch over the handful of value types the instance documents
 * hold, where the driver's {@link DocumentCodec} looks a codec up in its registry for every value (in a profile of
 * the benchmark, those lookups and their cycle checks were the runner's largest single cost). A value of any other
 * type is handed to the driver's registry, as before. Reading is the driver's {@link DocumentCodec}. Creates and saves
 * no longer come this way (they are written as bytes by {@link BsonBytes}); the lease changes' filters and updates,
 * built as documents, still do.
 */
final class PlainBson implements Codec<Document> {

    static final PlainBson CODEC = new PlainBson();

    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();
    private static final DocumentCodec READER = new DocumentCodec(REGISTRY);

    private PlainBson() {
    }

    /** The document as the filter or update of a write, written by this codec when the command is encoded. */
    static Bson of(Document document) {
        return new Bson() {
            @Override
            public <T> BsonDocument toBsonDocument(Class<T> documentClass, CodecRegistry codecRegistry) {
                return new BsonDocumentWrapper<>(document, CODEC);
            }

            @Override
            public String toString() {
                return document.toString();
            }
        };
    }

    @Override
    public void encode(BsonWriter writer, Document document, EncoderContext context) {
        writeMap(writer, document, context);
    }

    @Override
    public Document decode(org.bson.BsonReader reader, DecoderContext context) {
        return READER.decode(reader, context);
    }

    @Override
    public Class<Document> getEncoderClass() {
        return Document.class;
    }

    private static void writeMap(BsonWriter writer, Map<?, ?> map, EncoderContext context) {
        writer.writeStartDocument();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            writer.writeName(String.valueOf(e.getKey()));
            writeValue(writer, e.getValue(), context);
        }
        writer.writeEndDocument();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void writeValue(BsonWriter writer, Object value, EncoderContext context) {
        switch (value) {
            case null -> writer.writeNull();
            case String s -> writer.writeString(s);
            case Integer i -> writer.writeInt32(i);
            case Long l -> writer.writeInt64(l);
            case Double d -> writer.writeDouble(d);
            case Boolean b -> writer.writeBoolean(b);
            case Date d -> writer.writeDateTime(d.getTime());
            case Decimal128 d -> writer.writeDecimal128(d);
            case ObjectId id -> writer.writeObjectId(id);
            case Binary b -> writer.writeBinaryData(new org.bson.BsonBinary(b.getType(), b.getData()));
            case Map<?, ?> m -> writeMap(writer, m, context);
            case List<?> list -> {
                writer.writeStartArray();
                for (Object item : list) writeValue(writer, item, context);
                writer.writeEndArray();
            }
            default -> {
                Codec codec = REGISTRY.get(value.getClass());
                context.encodeWithChildContext(codec, writer, value);
            }
        }
    }
}
