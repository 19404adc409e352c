package net.reactory.workflow.adapter.mongo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.jsontype.impl.ClassNameIdResolver;
import com.fasterxml.jackson.databind.type.TypeFactory;

/**
 * Type hints for the values of a record whose declared type does not say what they are: a component (or a list
 * element, or a map value) declared {@code Object}, an interface or an abstract class. Such a value is written
 * with its class beside it ({@code "@type"} in a sub-document, or {@code ["java.lang.Long", 5]} around a scalar),
 * so that it comes back from MongoDB as the type it had, as it does in memory. Values whose declared type is
 * concrete (a record, an enum, {@code List<Line>}'s lines) carry no hint: the record's own types say enough, and the
 * document stays as readable as before. Strings, ints, doubles and booleans never carry one (JSON says what they are).
 *
 * <p>A hint is only followed for a class the {@code allowed} predicate accepts (records, enums, {@code java.time}
 * and {@code java.math} values by default) or a plain JDK value (boxed numbers, maps, lists, sets), checked by name
 * before the class is initialised: a document cannot make the store build an arbitrary class.
 */
final class PolymorphicSlots extends ObjectMapper.DefaultTypeResolverBuilder {

    static final String TYPE_PROPERTY = "@type";

    private static final Set<Class<?>> PLAIN = Set.of(String.class, Boolean.class, Character.class, Byte.class, Short.class,
            Integer.class, Long.class, Float.class, Double.class, BigDecimal.class, BigInteger.class,
            LinkedHashMap.class, ArrayList.class, LinkedHashSet.class);

    PolymorphicSlots(Predicate<Class<?>> allowed, ClassLoader classLoader) {
        super(ObjectMapper.DefaultTyping.OBJECT_AND_NON_CONCRETE, validator(allowed, classLoader));
        init(JsonTypeInfo.Id.CLASS, null);
        inclusion(JsonTypeInfo.As.PROPERTY);
        typeProperty(TYPE_PROPERTY);
    }

    /** Only slots whose declared type leaves the value's type open; never containers, whose elements are asked for one by one. */
    @Override
    public boolean useForType(JavaType t) {
        if (t.isPrimitive() || t.isContainerType() || t.isReferenceType() || TreeNode.class.isAssignableFrom(t.getRawClass())) return false;
        return t.isJavaLangObject() || t.isInterface() || t.isAbstract();
    }

    @Override
    protected TypeIdResolver idResolver(MapperConfig<?> config, JavaType baseType, PolymorphicTypeValidator subtypeValidator,
                                        Collection<NamedType> subtypes, boolean forSer, boolean forDeser) {
        return new PlainCollectionNames(baseType, config.getTypeFactory(), subtypeValidator);
    }

    /** Maps, lists and sets are named by the plain JDK class they come back as, not by an internal one ({@code List.of}'s). */
    private static final class PlainCollectionNames extends ClassNameIdResolver {
        PlainCollectionNames(JavaType baseType, TypeFactory typeFactory, PolymorphicTypeValidator validator) {
            super(baseType, typeFactory, validator);
        }

        @Override
        protected String _idFrom(Object value, Class<?> cls, TypeFactory typeFactory) {
            if (value instanceof Map<?, ?>) return LinkedHashMap.class.getName();
            if (value instanceof List<?>) return ArrayList.class.getName();
            if (value instanceof Set<?>) return LinkedHashSet.class.getName();
            return super._idFrom(value, cls, typeFactory);
        }
    }

    private static PolymorphicTypeValidator validator(Predicate<Class<?>> allowed, ClassLoader classLoader) {
        return new PolymorphicTypeValidator.Base() {
            @Override
            public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
                try {
                    Class<?> type = Class.forName(subClassName, false, classLoader);
                    return PLAIN.contains(type) || allowed.test(type) ? Validity.ALLOWED : Validity.DENIED;
                } catch (ClassNotFoundException | LinkageError e) {
                    return Validity.DENIED;
                }
            }

            @Override
            public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
                Class<?> type = subType.getRawClass();
                return PLAIN.contains(type) || allowed.test(type) ? Validity.ALLOWED : Validity.DENIED;
            }
        };
    }
}
