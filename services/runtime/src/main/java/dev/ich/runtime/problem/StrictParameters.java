package dev.ich.runtime.problem;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Numbers and booleans in the URL and headers, read strictly and refused by name. Without this a query value that does
 * not convert ({@code min_pct=abc}) is a 404 that blames the path, as JAX-RS prescribes, and a boolean that is neither
 * true nor false ({@code flagged=yes}) is silently false. Now: a 400 {@code InvalidParameter} naming the parameter and
 * what it takes ({@code field} is the parameter's name), or for a path segment a 404 that says why it names nothing.
 */
@Provider
public class StrictParameters implements ParamConverterProvider {
    private record Kind(String takes, Function<String, Object> parse) {
    }

    private static final Map<Class<?>, Kind> KINDS = Map.ofEntries(
            Map.entry(int.class, new Kind("a whole number", Integer::valueOf)),
            Map.entry(Integer.class, new Kind("a whole number", Integer::valueOf)),
            Map.entry(long.class, new Kind("a whole number", Long::valueOf)),
            Map.entry(Long.class, new Kind("a whole number", Long::valueOf)),
            Map.entry(short.class, new Kind("a whole number", Short::valueOf)),
            Map.entry(Short.class, new Kind("a whole number", Short::valueOf)),
            Map.entry(double.class, new Kind("a number", StrictParameters::finiteDouble)),
            Map.entry(Double.class, new Kind("a number", StrictParameters::finiteDouble)),
            Map.entry(float.class, new Kind("a number", s -> (float) finiteDouble(s))),
            Map.entry(Float.class, new Kind("a number", s -> (float) finiteDouble(s))),
            Map.entry(boolean.class, new Kind("true or false", StrictParameters::bool)),
            Map.entry(Boolean.class, new Kind("true or false", StrictParameters::bool)));

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        Kind kind = KINDS.get(rawType);
        if (kind == null) return null;
        String where = null;
        String name = null;
        boolean inPath = false;
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) { where = "query parameter"; name = q.value(); }
            else if (a instanceof PathParam p) { where = "path parameter"; name = p.value(); inPath = true; }
            else if (a instanceof HeaderParam h) { where = "header"; name = h.value(); }
            else if (a instanceof CookieParam c) { where = "cookie"; name = c.value(); }
        }
        String described = where == null ? "a parameter" : where + " " + name;
        String field = name;
        boolean path = inPath;
        return (ParamConverter<T>) new ParamConverter<Object>() {
            @Override
            public Object fromString(String value) {
                if (value == null) return null;
                try {
                    return kind.parse().apply(value.strip());
                } catch (RuntimeException e) {
                    String detail = described + " must be " + kind.takes() + ", not \"" + value + "\"";
                    Problem p = path ? Problem.of(404, "NotFound", "no such resource: " + detail)
                            : Problem.of(400, "InvalidParameter", detail);
                    throw new WebApplicationException(detail, (field == null ? p : p.withField(field)).response());
                }
            }

            @Override
            public String toString(Object value) {
                return String.valueOf(value);
            }
        };
    }

    private static double finiteDouble(String s) {
        double d = Double.parseDouble(s);
        // "NaN", "Infinity" and hex floats parse in Java, but no ich parameter means them.
        if (!Double.isFinite(d) || s.toLowerCase(Locale.ROOT).contains("x")) throw new NumberFormatException(s);
        return d;
    }

    /** "0" too: Quarkus REST hands a primitive boolean that was not sent to its converter as "0" (and "1" then means true). */
    private static Boolean bool(String s) {
        if (s.equalsIgnoreCase("true") || s.equals("1")) return Boolean.TRUE;
        if (s.equalsIgnoreCase("false") || s.equals("0")) return Boolean.FALSE;
        throw new IllegalArgumentException(s);
    }
}
