package io.vigil.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = {
            "Run a KQL query on a workspace, in this process (--data DIR) or on a running server (--server URL).",
            "Output: an aligned table when stdout is a terminal, CSV otherwise (pipes, files); --format overrides.",
            "Exit codes: 0 ran, 1 the query was rejected or failed (diagnostics on stderr with a caret under the"
                    + " position), 2 usage or I/O error."
        })
final class QueryCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Widest cell of the text table; longer values (dynamic JSON mostly) end in an ellipsis. */
    private static final int MAX_CELL_WIDTH = 80;

    private static final Set<String> NUMERIC_TYPES = Set.of("int", "long", "real", "decimal");

    enum Format {
        table,
        json,
        csv
    }

    @Mixin
    QueryTargetOptions target;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "table, json (the API's {\"tables\":[…]}) or csv. Default: table on a terminal, else csv")
    Format format;

    @Option(
            names = "--timespan",
            paramLabel = "ISO8601",
            description = "Time range applied to every table, as the API takes it: PT24H, start/end, start/PT1H")
    String timespan;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "PT5M",
            description = "How long to wait for a server's answer. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Parameters(index = "0", paramLabel = "KQL", description = "The query")
    String query;

    @Override
    public Integer call() throws Exception {
        QueryTarget.Answer answer;
        try (QueryTarget opened = target.open(timeout)) {
            answer = opened.run(query, Optional.ofNullable(timespan));
        } catch (IOException exception) {
            System.err.println("vigil: " + exception);
            return 2;
        }
        return switch (answer) {
            case QueryTarget.Answer.Rows rows -> {
                print(rows.table(), chosenFormat(), System.out);
                // a partial success: the rows are on stdout, what is missing or worth knowing on stderr
                for (QueryTarget.Problem warning : rows.table().warnings()) {
                    System.err.print(describe(query, "warning", warning));
                }
                yield 0;
            }
            case QueryTarget.Answer.Rejected rejected -> {
                for (QueryTarget.Problem problem : rejected.problems()) {
                    System.err.print(describe(query, "error", problem));
                }
                yield 1;
            }
        };
    }

    private Format chosenFormat() {
        if (format != null) {
            return format;
        }
        if (isTerminal()) {
            return Format.table;
        }
        return Format.csv;
    }

    /**
     * Whether stdout is a terminal. Up to Java 21 {@code System.console()} is null when it is not; from
     * Java 22 it is never null and {@code Console.isTerminal()} (new in 22) tells; it is called reflectively
     * because the build targets 21.
     */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (ReflectiveOperationException exception) {
            return true;
        }
    }

    static void print(QueryTarget.Table table, Format format, PrintStream out) {
        switch (format) {
            case table -> out.print(text(table));
            case json -> out.println(json(table));
            case csv -> out.print(csv(table));
        }
    }

    /**
     * A problem as a compiler prints it: {@code error} or {@code warning}, code, message and position, then
     * the query line with a caret under the column. Tabs before the column are kept in the caret line so
     * that it still lines up.
     */
    static String describe(String query, String severity, QueryTarget.Problem problem) {
        StringBuilder text = new StringBuilder();
        text.append(severity).append(' ').append(problem.code()).append(": ").append(problem.message());
        if (!problem.hasPosition()) {
            return text.append('\n').toString();
        }
        text.append(" (line ")
                .append(problem.line())
                .append(", col ")
                .append(problem.column())
                .append(")\n");
        List<String> lines = query.lines().toList();
        if (problem.line() > lines.size()) {
            // an error at the end of the text (a missing operand after a trailing newline)
            return text.toString();
        }
        String line = lines.get(problem.line() - 1);
        String number = Integer.toString(problem.line());
        String gutter = " ".repeat(number.length());
        text.append("  ").append(number).append(" | ").append(line).append('\n');
        text.append("  ").append(gutter).append(" | ");
        int before = Math.min(problem.column() - 1, line.length());
        for (int index = 0; index < before; index++) {
            if (line.charAt(index) == '\t') {
                text.append('\t');
            } else {
                text.append(' ');
            }
        }
        return text.append("^\n").toString();
    }

    static String text(QueryTarget.Table table) {
        int count = table.columns().size();
        List<String[]> cells = new ArrayList<>();
        int[] widths = new int[count];
        String[] header = new String[count];
        for (int index = 0; index < count; index++) {
            header[index] = table.columns().get(index).name();
            widths[index] = header[index].length();
        }
        for (List<Object> row : table.rows()) {
            String[] values = new String[count];
            for (int index = 0; index < count; index++) {
                values[index] = clip(cell(row.get(index)));
                widths[index] = Math.max(widths[index], values[index].length());
            }
            cells.add(values);
        }
        StringBuilder text = new StringBuilder();
        appendRow(text, header, widths, new boolean[count]);
        String[] rule = new String[count];
        for (int index = 0; index < count; index++) {
            rule[index] = "-".repeat(widths[index]);
        }
        appendRow(text, rule, widths, new boolean[count]);
        boolean[] rightAligned = new boolean[count];
        for (int index = 0; index < count; index++) {
            rightAligned[index] =
                    NUMERIC_TYPES.contains(table.columns().get(index).type());
        }
        for (String[] values : cells) {
            appendRow(text, values, widths, rightAligned);
        }
        int rows = table.rows().size();
        if (rows == 1) {
            text.append("(1 row)\n");
        } else {
            text.append('(').append(rows).append(" rows)\n");
        }
        return text.toString();
    }

    private static void appendRow(StringBuilder text, String[] values, int[] widths, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int index = 0; index < values.length; index++) {
            if (index > 0) {
                line.append("  ");
            }
            String padding = " ".repeat(widths[index] - values[index].length());
            if (rightAligned[index]) {
                line.append(padding).append(values[index]);
            } else {
                line.append(values[index]).append(padding);
            }
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }

    private static String clip(String value) {
        // line breaks would break the alignment; show them as the escape a KQL string literal uses
        String flat = value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        if (flat.length() <= MAX_CELL_WIDTH) {
            return flat;
        }
        return flat.substring(0, MAX_CELL_WIDTH - 1) + "…";
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        return value.toString();
    }

    /** RFC 4180 fields with {@code \n} line ends; nulls are empty fields, as Log Analytics exports them. */
    static String csv(QueryTarget.Table table) {
        StringBuilder text = new StringBuilder();
        List<String> header = new ArrayList<>();
        for (QueryTarget.Column column : table.columns()) {
            header.add(column.name());
        }
        appendCsvRecord(text, header);
        for (List<Object> row : table.rows()) {
            List<String> values = new ArrayList<>();
            for (Object value : row) {
                values.add(cell(value));
            }
            appendCsvRecord(text, values);
        }
        return text.toString();
    }

    private static void appendCsvRecord(StringBuilder text, List<String> values) {
        for (int index = 0; index < values.size(); index++) {
            if (index > 0) {
                text.append(',');
            }
            String value = values.get(index);
            boolean quoted = value.indexOf(',') >= 0
                    || value.indexOf('"') >= 0
                    || value.indexOf('\n') >= 0
                    || value.indexOf('\r') >= 0;
            if (quoted) {
                text.append('"').append(value.replace("\"", "\"\"")).append('"');
            } else {
                text.append(value);
            }
        }
        text.append('\n');
    }

    /** The query API's own shape, so that scripts read the CLI's output and the API's alike. */
    static String json(QueryTarget.Table table) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode result = body.putArray("tables").addObject();
        result.put("name", "PrimaryResult");
        ArrayNode columns = result.putArray("columns");
        for (QueryTarget.Column column : table.columns()) {
            columns.addObject().put("name", column.name()).put("type", column.type());
        }
        ArrayNode rows = result.putArray("rows");
        for (List<Object> row : table.rows()) {
            ArrayNode values = rows.addArray();
            for (Object value : row) {
                switch (value) {
                    case null -> values.addNull();
                    case String text -> values.add(text);
                    case Integer number -> values.add(number);
                    case Long number -> values.add(number);
                    case Double number -> addDouble(values, number);
                    case Boolean flag -> values.add(flag);
                    default -> values.add(value.toString());
                }
            }
        }
        return body.toString();
    }

    private static void addDouble(ArrayNode values, double number) {
        // JSON has no NaN or infinity; the API sends them as text too
        if (Double.isFinite(number)) {
            values.add(number);
        } else {
            values.add(String.format(Locale.ROOT, "%s", number));
        }
    }
}
