package io.vigil.kql.syntax;

/**
 * A half-open range {@code [start, end)} of UTF-16 offsets into the query text. Missing nodes have an
 * empty span at the position where the parser expected them.
 */
public record Span(int start, int end) {
    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid span " + start + ".." + end);
        }
    }

    public static Span empty(int position) {
        return new Span(position, position);
    }

    public int length() {
        return end - start;
    }

    public boolean isEmpty() {
        return start == end;
    }

    public Span to(Span other) {
        return new Span(Math.min(start, other.start), Math.max(end, other.end));
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }
}
