package dev.ich.core.html;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.TemplateLocator.TemplateLocation;
import io.quarkus.qute.Variant;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ich's self-contained HTML pages (a training run's report, a sweep's, the exploration) rendered from the Qute
 * templates under {@code templates/} on the class path, each module shipping its own. One escaping for all of them:
 * Qute's, which escapes every {@code {expression}} for element text and quoted attributes ({@code & < > " '}), so a
 * value from the data can never become markup. Standalone Qute, not the Quarkus extension: the trainer's plain jar
 * renders its report as the services render theirs. Values are records and lists, read by their accessors.
 */
public final class HtmlPages {
    private static final Variant HTML = Variant.forContentType(Variant.TEXT_HTML);
    private static final Engine ENGINE = Engine.builder().addDefaults()
            .addValueResolver(new ReflectionValueResolver())
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
            .addLocator(HtmlPages::locate)
            .build();

    private HtmlPages() {
    }

    /** The page {@code templates/<template>} with {@code data} as its top-level names. */
    public static String render(String template, Map<String, ?> data) {
        Template page = ENGINE.getTemplate(template);
        if (page == null) throw new IllegalStateException("no template templates/" + template + " on the class path");
        TemplateInstance instance = page.instance();
        data.forEach(instance::data);
        return instance.render();
    }

    private static Optional<TemplateLocation> locate(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        URL url = loader == null ? null : loader.getResource("templates/" + name);
        if (url == null) url = HtmlPages.class.getClassLoader().getResource("templates/" + name);
        if (url == null) return Optional.empty();
        URL found = url;
        return Optional.of(new TemplateLocation() {
            @Override
            public Reader read() {
                try {
                    return new InputStreamReader(found.openStream(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + found, e);
                }
            }

            @Override
            public Optional<Variant> getVariant() {
                return Optional.of(HTML);
            }
        });
    }
}
