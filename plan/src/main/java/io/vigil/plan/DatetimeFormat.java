package io.vigil.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The format of KQL's {@code format_datetime}: runs of the specifier letters {@code d f F h H m M s y t}
 * and the documented delimiters, which are copied as they are.
 * source: https://learn.microsoft.com/kusto/query/format-datetime-function
 */
public final class DatetimeFormat {
    /** One element of a format: a specifier letter repeated {@code count} times, or literal text. */
    public record Element(char letter, int count, String literal) {
        public boolean isLiteral() {
            return literal != null;
        }
    }

    private static final String DELIMITERS = " /-:,._[]";

    private DatetimeFormat() {}

    /** The elements, or empty when the format has a character that is neither a specifier nor a delimiter. */
    public static Optional<List<Element>> parse(String format) {
        List<Element> elements = new ArrayList<>();
        int index = 0;
        while (index < format.length()) {
            char current = format.charAt(index);
            int end = index;
            while (end < format.length() && format.charAt(end) == current) {
                end++;
            }
            int count = end - index;
            boolean valid = switch (current) {
                case 'd', 'h', 'H', 'm', 'M', 's', 't' -> count <= 2;
                case 'f', 'F' -> count <= 7;
                case 'y' -> count <= 4;
                default -> false;
            };
            if (valid) {
                elements.add(new Element(current, count, null));
            } else if (DELIMITERS.indexOf(current) >= 0) {
                elements.add(new Element(current, count, format.substring(index, end)));
            } else {
                return Optional.empty();
            }
            index = end;
        }
        return Optional.of(List.copyOf(elements));
    }
}
