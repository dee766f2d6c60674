package dev.ich.ingest.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.ingest.dicomweb.QidoAttribute.Level;
import dev.ich.runtime.problem.ApiProblem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A QIDO-RS query (PS3.18 8.3.4, matching as PS3.4 C.2.2.2): matching keys by keyword or tag, {@code limit},
 * {@code offset}, {@code includefield} and {@code fuzzymatching}. Single value, wildcard ({@code *}, {@code ?}, not for
 * UIDs, dates, times and numbers), UID list (comma or backslash), date and time range ({@code a-b}, {@code -b},
 * {@code a-}) and universal (empty value) matching; person names case-insensitively. Anything it cannot read is a
 * 400 naming the parameter.
 */
final class QidoQuery {
    private static final Set<String> CONTROL = Set.of("limit", "offset", "includefield", "fuzzymatching");
    private static final Pattern DATE = Pattern.compile("\\d{8}");
    private static final Pattern TIME = Pattern.compile("\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,6})?)?)?");

    /** One matching key; universal keys match everything and only ask for the attribute to be returned. */
    record Key(QidoAttribute attribute, String value, Predicate<List<String>> test) {
        boolean universal() {
            return value.isEmpty();
        }

        boolean matches(List<String> values) {
            return universal() || test.test(values);
        }
    }

    final Map<QidoAttribute, Key> keys;
    final List<Key> studyKeys;
    final List<Key> seriesKeys;
    final List<Key> instanceKeys;
    final Set<QidoAttribute> included;
    final boolean includeAll;
    final Integer limit;
    final int offset;
    final List<String> warnings;

    private QidoQuery(Map<QidoAttribute, Key> keys, Set<QidoAttribute> included, boolean includeAll, Integer limit, int offset,
                      List<String> warnings) {
        this.keys = keys;
        this.studyKeys = keysAt(Level.STUDY);
        this.seriesKeys = keysAt(Level.SERIES);
        this.instanceKeys = keysAt(Level.INSTANCE);
        this.included = included;
        this.includeAll = includeAll;
        this.limit = limit;
        this.offset = offset;
        this.warnings = warnings;
    }

    /** No keys: everything matches (WADO-RS walks the index with it). */
    static QidoQuery none() {
        return parse(Map.of(), Level.INSTANCE);
    }

    private List<Key> keysAt(Level level) {
        return keys.values().stream().filter(k -> k.attribute().level == level).toList();
    }

    static QidoQuery parse(Map<String, List<String>> params, Level level) {
        Map<QidoAttribute, Key> keys = new LinkedHashMap<>();
        Set<QidoAttribute> included = EnumSet.noneOf(QidoAttribute.class);
        boolean all = false;
        Integer limit = null;
        int offset = 0;
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String name = p.getKey();
            List<String> values = p.getValue();
            switch (name) {
                case "limit" -> limit = positive(name, single(name, values), 1);
                case "offset" -> offset = positive(name, single(name, values), 0);
                case "fuzzymatching" -> {
                    String v = single(name, values);
                    if (v.equals("true")) {
                        warnings.add("299 ich \"The fuzzymatching parameter is not supported. Only literal matching has been performed.\"");
                    } else if (!v.equals("false")) {
                        throw bad(name, "fuzzymatching is true or false, not \"" + v + "\"");
                    }
                }
                case "includefield" -> {
                    for (String v : values) {
                        for (String field : v.split(",")) {
                            String f = field.strip();
                            if (f.equals("all")) {
                                all = true;
                            } else if (f.matches("[0-9A-Fa-f]{8}")) {
                                // a tag ich does not index is simply not returned (PS3.18: attributes "if available")
                                QidoAttribute.find(f).ifPresent(included::add);
                            } else {
                                included.add(QidoAttribute.find(f).orElseThrow(() -> bad(name, "includefield \"" + f
                                        + "\" is not a keyword ich indexes (" + known() + ") nor 8 hex digits of a tag;"
                                        + " everything an instance holds is in its WADO-RS metadata")));
                            }
                        }
                    }
                }
                default -> {
                    Key key = key(name, values, level);
                    keys.put(key.attribute(), key);
                }
            }
        }
        return new QidoQuery(keys, included, all, limit, offset, warnings);
    }

    private static Key key(String name, List<String> values, Level level) {
        if (name.contains(".")) {
            throw bad(name, "\"" + name + "\": matching inside sequences is not supported; match top-level attributes");
        }
        QidoAttribute a = QidoAttribute.find(name).orElseThrow(() -> bad(name, "\"" + name + "\" is not a query parameter: "
                + "use limit, offset, includefield, fuzzymatching or an attribute by keyword or tag (" + known() + ")"));
        if (a.computed && a != QidoAttribute.ModalitiesInStudy) {
            throw bad(name, a.name() + " is returned by ich, not matched on; match on the attributes it counts instead");
        }
        if (a.level.ordinal() > level.ordinal()) {
            throw bad(name, a.name() + " is a " + a.level.word() + " attribute; a " + level.word() + " query matches "
                    + Arrays.stream(Level.values()).filter(l -> l.ordinal() <= level.ordinal()).map(Level::word).toList()
                    + " attributes" + (a == QidoAttribute.Modality ? " (ModalitiesInStudy at study level)" : ""));
        }
        String value;
        if (values.size() == 1) value = values.get(0);
        else if (a.vr.equals("UI")) value = String.join(",", values);
        else throw bad(name, name + " is given " + values.size() + " times; give it once");
        return new Key(a, value, value.isEmpty() ? v -> true : test(name, a, value));
    }

    private static Predicate<List<String>> test(String name, QidoAttribute a, String value) {
        switch (a.vr) {
            case "UI" -> {
                List<String> uids = Arrays.stream(value.split("[,\\\\]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                return vs -> vs.stream().anyMatch(uids::contains);
            }
            case "DA" -> {
                return range(name, value, DATE, "a date as YYYYMMDD", false);
            }
            case "TM" -> {
                return range(name, value, TIME, "a time as HHMMSS[.FFFFFF] (HH or HHMM too)", true);
            }
            case "IS", "US", "DS" -> {
                try {
                    java.math.BigDecimal n = new java.math.BigDecimal(value.strip());
                    return vs -> vs.stream().anyMatch(v -> {
                        try {
                            return new java.math.BigDecimal(v).compareTo(n) == 0;
                        } catch (NumberFormatException e) {
                            return false;
                        }
                    });
                } catch (NumberFormatException e) {
                    throw bad(name, name + " takes a number, not \"" + value + "\"");
                }
            }
            default -> {
                boolean pn = a.vr.equals("PN");
                List<String> alternatives = a == QidoAttribute.ModalitiesInStudy ? List.of(value.split("[,\\\\]")) : List.of(value);
                List<Pattern> patterns = alternatives.stream().map(v -> wildcard(v, pn)).toList();
                return vs -> vs.stream().anyMatch(v -> patterns.stream().anyMatch(p -> p.matcher(v).matches()));
            }
        }
    }

    /** {@code *} any run, {@code ?} one character, everything else literal. */
    private static Pattern wildcard(String value, boolean caseInsensitive) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }

    private static Predicate<List<String>> range(String name, String value, Pattern form, String what, boolean time) {
        int dash = value.indexOf('-');
        String low = dash < 0 ? value : value.substring(0, dash);
        String high = dash < 0 ? value : value.substring(dash + 1);
        for (String bound : dash < 0 ? List.of(low) : List.of(low, high)) {
            if (!bound.isEmpty() && !form.matcher(bound).matches()) {
                throw bad(name, name + " takes " + what + " or a range a-b, -b, a-; \"" + value + "\" is neither");
            }
        }
        if (dash >= 0 && low.isEmpty() && high.isEmpty()) throw bad(name, name + " range \"-\" names neither end");
        String lo = low.isEmpty() ? null : time ? timeKey(low, '0') : low;
        String hi = high.isEmpty() ? null : time ? timeKey(high, dash < 0 ? '0' : '9') : high;
        if (dash < 0) {
            String exact = lo;
            return vs -> vs.stream().anyMatch(v -> (time ? timeKey(v, '0') : v).equals(exact));
        }
        return vs -> vs.stream().anyMatch(v -> {
            String k = time ? timeKey(v, '0') : v;
            return (lo == null || k.compareTo(lo) >= 0) && (hi == null || k.compareTo(hi) <= 0);
        });
    }

    /** HHMMSS.FFFFFF, missing parts filled: an upper bound "12" (filled with 9s) sorts after every time in hour 12. */
    private static String timeKey(String t, char fill) {
        String s = t.strip().replace(":", "");
        String whole = s.contains(".") ? s.substring(0, s.indexOf('.')) : s;
        String fraction = s.contains(".") ? s.substring(s.indexOf('.') + 1) : "";
        StringBuilder w = new StringBuilder(whole);
        while (w.length() < 6) w.append(fill);
        StringBuilder f = new StringBuilder(fraction);
        while (f.length() < 6) f.append(fill);
        return w + "." + f;
    }

    /** The values an element holds, as text: person names by each of their component groups. */
    static List<String> values(JsonNode element) {
        if (element == null) return List.of();
        List<String> out = new ArrayList<>();
        for (JsonNode v : element.path("Value")) {
            if (v.isObject()) {
                for (String group : List.of("Alphabetic", "Ideographic", "Phonetic")) {
                    if (v.hasNonNull(group)) out.add(v.get(group).asText());
                }
            } else if (!v.isNull()) {
                out.add(v.asText());
            }
        }
        return out;
    }

    private static String single(String name, List<String> values) {
        if (values.size() != 1) throw bad(name, name + " is given " + values.size() + " times; give it once");
        return values.get(0);
    }

    private static int positive(String name, String value, int min) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // fall through to the refusal below
        }
        throw bad(name, name + " must be a whole number of at least " + min + ", not \"" + value + "\"");
    }

    private static String known() {
        return Arrays.stream(QidoAttribute.values()).map(Enum::name).reduce((a, b) -> a + ", " + b).orElse("");
    }

    static ApiProblem bad(String parameter, String detail) {
        return new ApiProblem(400, "InvalidQuery", detail, parameter, null);
    }
}
