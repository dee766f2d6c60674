package dev.ich.runtime.problem;

import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The media types an endpoint takes and the methods a path answers, so a 415 can say "it takes
 * application/dicom" and a 405 which methods are allowed. Quarkus REST refuses before it picks a method and does
 * not say which it would have picked, so this reads the resource classes' own annotations once, on the first
 * such refusal. Where reflection finds nothing (a native
 * image without reflection data for a resource) the detail just leaves the accepted types out.
 */
final class Endpoints {
    private static final Pattern PARAM = Pattern.compile("\\{\\s*[^}:\\s]+\\s*(?::\\s*([^}]+))?}");
    private static volatile List<Endpoint> all;

    private Endpoints() {
    }

    private record Endpoint(String method, Pattern path, List<String> consumes) {
    }

    /** The types the endpoints at {@code path} for {@code method} take, e.g. "application/dicom", if they declare any. */
    static Optional<String> consumes(String method, String path) {
        Set<String> types = new LinkedHashSet<>();
        for (Endpoint e : endpoints()) {
            if (e.method().equals(method) && e.path().matcher(path).matches()) types.addAll(e.consumes());
        }
        return types.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", types));
    }

    /** The HTTP methods some endpoint at {@code path} answers, for the 405 Quarkus REST sends without Allow. */
    static Set<String> methods(String path) {
        Set<String> methods = new TreeSet<>();
        for (Endpoint e : endpoints()) {
            if (e.path().matcher(path).matches()) methods.add(e.method());
        }
        return methods;
    }

    private static List<Endpoint> endpoints() {
        List<Endpoint> known = all;
        if (known == null) {
            known = scan();
            all = known;
        }
        return known;
    }

    /** Resource classes are beans in Quarkus REST, so the bean manager lists every one of them. */
    private static List<Endpoint> scan() {
        List<Endpoint> found = new ArrayList<>();
        try {
            for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
                Class<?> type = bean.getBeanClass();
                Path root = type.getAnnotation(Path.class);
                if (root == null) continue;
                Consumes classConsumes = type.getAnnotation(Consumes.class);
                for (Method m : type.getMethods()) {
                    String http = httpMethod(m);
                    if (http == null) continue;
                    Consumes c = m.getAnnotation(Consumes.class) != null ? m.getAnnotation(Consumes.class) : classConsumes;
                    Path sub = m.getAnnotation(Path.class);
                    found.add(new Endpoint(http, template(root.value() + "/" + (sub == null ? "" : sub.value())),
                            c == null ? List.of() : List.of(c.value())));
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // Only a nicer detail depends on this: never let it turn a 415 into a 500.
            return List.of();
        }
        return List.copyOf(found);
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) return h.value();
        }
        return null;
    }

    /** "/studies/{study}/series" as a pattern of the request path; {name: regex} keeps its regex. */
    static Pattern template(String template) {
        String normalised = ("/" + template).replaceAll("/+", "/");
        if (normalised.length() > 1 && normalised.endsWith("/")) normalised = normalised.substring(0, normalised.length() - 1);
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAM.matcher(normalised);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(normalised.substring(last, m.start())));
            regex.append('(').append(m.group(1) == null ? "[^/]+" : m.group(1).trim()).append(')');
            last = m.end();
        }
        regex.append(Pattern.quote(normalised.substring(last))).append("/?");
        return Pattern.compile(regex.toString());
    }
}
