package dev.ich.core.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The JSON names of the contract's enums: lower case, parsed in any case and with '-' and '_' alike. */
final class Names {
    private Names() {
    }

    static String json(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The value named {@code name}, or IllegalArgumentException saying what {@code field} may be. */
    static <E extends Enum<E>> E parse(E[] values, Function<E, String> json, String field, String name) {
        if (name != null) {
            String wanted = fold(name);
            for (E v : values) if (fold(json.apply(v)).equals(wanted)) return v;
        }
        String choices = Arrays.stream(values).map(json).collect(Collectors.joining(", "));
        int last = choices.lastIndexOf(", ");
        if (last >= 0) choices = choices.substring(0, last) + " or " + choices.substring(last + 2);
        throw new IllegalArgumentException(field + " must be " + choices + ", not '" + name + "'");
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
