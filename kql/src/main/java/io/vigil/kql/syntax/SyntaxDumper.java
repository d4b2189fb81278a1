package io.vigil.kql.syntax;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;

/**
 * Renders a tree as an indented S-expression for golden files and debugging. It walks record
 * components generically so a new node type is dumped without touching this class; leaf values are
 * printed inline, child nodes one per line, empty lists and absent optionals are left out.
 */
public final class SyntaxDumper {
    private final boolean withSpans;
    private final StringBuilder output = new StringBuilder();

    private SyntaxDumper(boolean withSpans) {
        this.withSpans = withSpans;
    }

    /** The dump of {@code node}; with {@code withSpans} each node shows {@code @start..end}. */
    public static String dump(SyntaxNode node, boolean withSpans) {
        SyntaxDumper dumper = new SyntaxDumper(withSpans);
        dumper.node(node, 0);
        dumper.output.append('\n');
        return dumper.output.toString();
    }

    private void node(SyntaxNode node, int indent) {
        output.append('(').append(node.getClass().getSimpleName());
        if (withSpans) {
            output.append(" @").append(node.span());
        }
        RecordComponent[] components = node.getClass().getRecordComponents();
        for (RecordComponent component : components) {
            Object value = read(component, node);
            if (isLeaf(value)) {
                output.append(' ').append(component.getName()).append('=').append(leaf(value));
            }
        }
        for (RecordComponent component : components) {
            Object value = read(component, node);
            if (value instanceof Optional<?> optional) {
                value = optional.orElse(null);
            }
            if (value instanceof SyntaxNode child) {
                newline(indent + 1);
                output.append(component.getName()).append(": ");
                node(child, indent + 1);
            } else if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof SyntaxNode) {
                newline(indent + 1);
                output.append(component.getName()).append(": [");
                for (Object element : list) {
                    newline(indent + 2);
                    node((SyntaxNode) element, indent + 2);
                }
                output.append(']');
            } else if (value instanceof List<?> list && list.isEmpty() && isOptionalList(component, node)) {
                newline(indent + 1);
                output.append(component.getName()).append(": []");
            }
        }
        output.append(')');
    }

    private static boolean isOptionalList(RecordComponent component, SyntaxNode node) {
        return read(component, node) instanceof Optional<?>;
    }

    private static boolean isLeaf(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.isPresent() && isLeaf(optional.get());
        }
        if (value instanceof List<?> list) {
            return !list.isEmpty() && list.get(0) instanceof String;
        }
        return value instanceof String || value instanceof Enum<?> || value instanceof Boolean;
    }

    private static String leaf(Object value) {
        if (value instanceof Optional<?> optional) {
            return leaf(optional.get());
        }
        if (value instanceof List<?> list) {
            StringBuilder names = new StringBuilder("[");
            for (Object element : list) {
                if (names.length() > 1) {
                    names.append(", ");
                }
                names.append(leaf(element));
            }
            return names.append(']').toString();
        }
        if (value instanceof String string) {
            return quote(string);
        }
        return String.valueOf(value);
    }

    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            switch (character) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(character);
            }
        }
        return quoted.append('"').toString();
    }

    private void newline(int indent) {
        output.append('\n');
        output.append("  ".repeat(indent));
    }

    private static Object read(RecordComponent component, SyntaxNode node) {
        try {
            return component.getAccessor().invoke(node);
        } catch (IllegalAccessException | InvocationTargetException exception) {
            // accessors of public records cannot fail; keep the dump going with a marker
            return "<unreadable " + component.getName() + ">";
        }
    }
}
