package net.reactory.workflow.adapter.mongo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bson.BsonBinaryWriter;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import com.mongodb.MongoClientSettings;

/**
 * A BSON document written straight into a byte array, element by element, and handed to the driver as a
 * {@link RawBsonDocument}, which it copies onto the wire in one piece. Writing the store's documents through the
 * driver's writer (its state checks, its decorators for {@code _id} and field names, its pooled buffers) was the
 * runner's largest cost in the benchmark's profile; here a field is its type byte, its name and its value. The
 * elements of one document can be compared and copied by range, which is how a save tells what changed
 * ({@link InstanceFields}). A value of a type this does not know is written by the driver's codec for it.
 */
final class BsonBytes {

    private static final byte DOUBLE = 0x01;
    private static final byte STRING = 0x02;
    private static final byte DOCUMENT = 0x03;
    private static final byte ARRAY = 0x04;
    private static final byte BINARY = 0x05;
    private static final byte OBJECT_ID = 0x07;
    private static final byte BOOLEAN = 0x08;
    private static final byte DATE = 0x09;
    private static final byte NULL = 0x0A;
    private static final byte INT32 = 0x10;
    private static final byte INT64 = 0x12;
    private static final byte DECIMAL128 = 0x13;
    /** Array indexes as element names, for the short arrays the documents hold. */
    private static final String[] INDEXES = new String[64];

    static {
        for (int i = 0; i < INDEXES.length; i++) INDEXES[i] = Integer.toString(i);
    }

    private static final CodecRegistry REGISTRY = MongoClientSettings.getDefaultCodecRegistry();

    /**
     * A field name encoded once (its UTF-8 bytes and terminating zero): the names the store writes on every write are
     * copied as they are, not encoded char by char each time (which the JIT also compiled into every call site).
     */
    static final class Name {
        final String text;
        final byte[] bytes;

        private Name(String text, byte[] bytes) {
            this.text = text;
            this.bytes = bytes;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static Name name(String name) {
        if (name.indexOf('\0') >= 0) throw new IllegalArgumentException("a BSON field name cannot hold a zero character: " + name);
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return new Name(name, Arrays.copyOf(utf8, utf8.length + 1));
    }

    private byte[] buf;
    private int pos;

    BsonBytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** Where the next element goes; with {@link #copy}, a range of this document's elements. */
    int position() {
        return pos;
    }

    /** Drops what was written from {@code position} on. */
    void truncate(int position) {
        pos = position;
    }

    byte[] array() {
        return buf;
    }

    /** Opens a document (the top-level one, or a value after its element's name); returns what {@link #end} needs. */
    int start() {
        int at = pos;
        ensure(4);
        pos += 4;
        return at;
    }

    int startDocument(String name) {
        header(DOCUMENT, name);
        return start();
    }

    int startArray(String name) {
        header(ARRAY, name);
        return start();
    }

    /** Closes the document or array opened at {@code at}: its terminating zero and its length. */
    void end(int at) {
        ensure(1);
        buf[pos++] = 0;
        int length = pos - at;
        buf[at] = (byte) length;
        buf[at + 1] = (byte) (length >>> 8);
        buf[at + 2] = (byte) (length >>> 16);
        buf[at + 3] = (byte) (length >>> 24);
    }

    /** The top-level document that was opened at 0 and closed, for the driver. */
    RawBsonDocument toRaw() {
        return new RawBsonDocument(buf, 0, pos);
    }

    void string(String name, String value) {
        if (value == null) {
            nullValue(name);
            return;
        }
        header(STRING, name);
        stringValue(value);
    }

    void int32(String name, int value) {
        header(INT32, name);
        int32Value(value);
    }

    /** A string element's value, after its header: its length, its UTF-8 bytes and the terminating zero. */
    private void stringValue(String value) {
        ensure(4);
        int at = pos;
        pos += 4;
        text(value, false);
        putInt(at, pos - at - 4);
    }

    private void int32Value(int value) {
        ensure(4);
        putInt(pos, value);
        pos += 4;
    }

    void int64(String name, long value) {
        header(INT64, name);
        putLong(value);
    }

    void dateTime(String name, long millis) {
        header(DATE, name);
        putLong(millis);
    }

    void bool(Name name, boolean value) {
        header(BOOLEAN, name);
        boolValue(value);
    }

    void bool(String name, boolean value) {
        header(BOOLEAN, name);
        boolValue(value);
    }

    private void boolValue(boolean value) {
        ensure(1);
        buf[pos++] = (byte) (value ? 1 : 0);
    }

    void nullValue(String name) {
        header(NULL, name);
    }

    int startDocument(Name name) {
        header(DOCUMENT, name);
        return start();
    }

    int startArray(Name name) {
        header(ARRAY, name);
        return start();
    }

    void string(Name name, String value) {
        if (value == null) {
            nullValue(name);
            return;
        }
        header(STRING, name);
        stringValue(value);
    }

    void int32(Name name, int value) {
        header(INT32, name);
        int32Value(value);
    }

    void int64(Name name, long value) {
        header(INT64, name);
        putLong(value);
    }

    void dateTime(Name name, long millis) {
        header(DATE, name);
        putLong(millis);
    }

    void nullValue(Name name) {
        header(NULL, name);
    }

    /** As {@link #value(String, Object)}; the common scalars without a detour. */
    void value(Name name, Object value) {
        if (value == null) nullValue(name);
        else if (value instanceof Integer i) int32(name, i);
        else if (value instanceof String s) string(name, s);
        else if (value instanceof Long l) int64(name, l);
        else value(name.text, value);
    }

    /** Any value of the store's documents: those of {@link BsonData}'s trees, dates, maps and lists; others by the driver's codec. */
    void value(String name, Object value) {
        switch (value) {
            case null -> nullValue(name);
            case String s -> string(name, s);
            case Integer i -> int32(name, i);
            case Long l -> int64(name, l);
            case Double d -> {
                header(DOUBLE, name);
                putLong(Double.doubleToRawLongBits(d));
            }
            case Boolean b -> bool(name, b);
            case Date d -> dateTime(name, d.getTime());
            case Decimal128 d -> {
                header(DECIMAL128, name);
                putLong(d.getLow());
                putLong(d.getHigh());
            }
            case ObjectId id -> {
                header(OBJECT_ID, name);
                ensure(12);
                id.putToByteBuffer(java.nio.ByteBuffer.wrap(buf, pos, 12));
                pos += 12;
            }
            case Binary b -> {
                header(BINARY, name);
                ensure(5 + b.getData().length);
                putInt(pos, b.getData().length);
                pos += 4;
                buf[pos++] = b.getType();
                System.arraycopy(b.getData(), 0, buf, pos, b.getData().length);
                pos += b.getData().length;
            }
            case Map<?, ?> m -> {
                int at = startDocument(name);
                for (Map.Entry<?, ?> e : m.entrySet()) value(String.valueOf(e.getKey()), e.getValue());
                end(at);
            }
            case List<?> list -> {
                int at = startArray(name);
                for (int i = 0; i < list.size(); i++) value(index(i), list.get(i));
                end(at);
            }
            default -> foreign(name, value);
        }
    }

    /** The elements of a map, in this document. */
    void elements(Map<String, Object> fields) {
        for (Map.Entry<String, Object> e : fields.entrySet()) value(e.getKey(), e.getValue());
    }

    /** A document written elsewhere, whole (its bytes from the buffer's position to its limit), as the value of {@code name}. */
    void document(String name, java.nio.ByteBuffer document) {
        header(DOCUMENT, name);
        copy(document);
    }

    void document(Name name, java.nio.ByteBuffer document) {
        header(DOCUMENT, name);
        copy(document);
    }

    private void copy(java.nio.ByteBuffer document) {
        int length = document.remaining();
        ensure(length);
        document.duplicate().get(buf, pos, length);
        pos += length;
    }

    /** Copies elements written elsewhere. */
    void copy(byte[] from, int offset, int length) {
        ensure(length);
        System.arraycopy(from, offset, buf, pos, length);
        pos += length;
    }

    static boolean sameBytes(byte[] a, int aFrom, int aTo, byte[] b, int bFrom, int bTo) {
        return Arrays.equals(a, aFrom, aTo, b, bFrom, bTo);
    }

    static String index(int i) {
        return i < INDEXES.length ? INDEXES[i] : Integer.toString(i);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void foreign(String name, Object value) {
        BasicOutputBuffer out = new BasicOutputBuffer(64);
        try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
            writer.writeStartDocument();
            writer.writeName("v");
            Codec codec = REGISTRY.get(value.getClass());
            EncoderContext.builder().build().encodeWithChildContext(codec, writer, value);
            writer.writeEndDocument();
        }
        byte[] bytes = out.toByteArray();
        // The one element follows the length (4 bytes): its type, "v" and its zero, then the value up to the final zero.
        header(bytes[4], name);
        copy(bytes, 7, bytes.length - 8);
    }

    private void header(byte type, Name name) {
        byte[] bytes = name.bytes;
        ensure(1 + bytes.length);
        buf[pos++] = type;
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private void header(byte type, String name) {
        ensure(2 + name.length());
        buf[pos++] = type;
        text(name, true);
    }

    /**
     * UTF-8 and a terminating zero; ASCII is copied char by char, the rest through the JDK's encoder. A name (a
     * C string in BSON) cannot hold a zero; a string value, whose length is written before it, can.
     */
    private void text(String s, boolean name) {
        int n = s.length();
        ensure(n + 1);
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == 0) {
                utf8(s, name);
                return;
            }
            buf[p++] = (byte) c;
        }
        buf[p++] = 0;
        pos = p;
    }

    private void utf8(String s, boolean name) {
        if (name && s.indexOf('\0') >= 0) throw new IllegalArgumentException("a BSON field name cannot hold a zero character: " + s);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ensure(bytes.length + 1);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        buf[pos++] = 0;
    }

    private void putInt(int at, int value) {
        buf[at] = (byte) value;
        buf[at + 1] = (byte) (value >>> 8);
        buf[at + 2] = (byte) (value >>> 16);
        buf[at + 3] = (byte) (value >>> 24);
    }

    private void putLong(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) buf[pos++] = (byte) (value >>> (8 * i));
    }

    private void ensure(int more) {
        if (pos + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
}
