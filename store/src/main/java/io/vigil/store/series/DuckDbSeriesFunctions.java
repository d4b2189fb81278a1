package io.vigil.store.series;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.duckdb.DuckDBFunctions;

/**
 * Registers KQL's series functions as DuckDB Java scalar functions, so that they run inside the query
 * over each row's array. Each takes the series as JSON text and the other arguments as a JSON array
 * text (as {@code io.vigil.sql.DuckDbDialect} renders the calls) and returns JSON text; input that is
 * not an array gives null, the way KQL's series functions return null for non-arrays.
 */
public final class DuckDbSeriesFunctions {
    private static final JsonFactory JSON = new JsonFactory();

    private DuckDbSeriesFunctions() {}

    /** Adds the functions to the database of {@code connection}; its duplicates see them too. */
    public static void register(Connection connection) throws SQLException {
        register(connection, "vigil_series_fit_line", DuckDbSeriesFunctions::fitLine);
        register(connection, "vigil_series_stats", DuckDbSeriesFunctions::stats);
        register(connection, "vigil_series_outliers", DuckDbSeriesFunctions::outliers);
        register(connection, "vigil_series_decompose_anomalies", DuckDbSeriesFunctions::decomposeAnomalies);
    }

    private static void register(Connection connection, String name, BiFunction<double[], List<Object>, String> body)
            throws SQLException {
        BiFunction<String, String, String> function = (series, options) -> {
            if (series == null) {
                return null;
            }
            double[] values = numbers(series);
            if (values == null) {
                return null;
            }
            return body.apply(values, arguments(options));
        };
        try (var builder = DuckDBFunctions.scalarFunction()) {
            builder.withName(name)
                    .withParameters(String.class, String.class)
                    .withReturnType(String.class)
                    .withFunction(function)
                    .register(connection);
        }
    }

    static String fitLine(double[] values, List<Object> options) {
        SeriesMath.LineFit fit = SeriesMath.fitLine(values);
        return object(json -> {
            number(json, "rsquare", fit.rSquare());
            number(json, "slope", fit.slope());
            number(json, "variance", fit.variance());
            number(json, "rvariance", fit.rVariance());
            number(json, "interception", fit.interception());
            array(json, "line_fit", fit.lineFit());
        });
    }

    static String stats(double[] values, List<Object> options) {
        // ignore_nonfinite defaults to false: any missing value makes the result null (series-stats-function)
        boolean ignoreNonFinite = !options.isEmpty() && Boolean.TRUE.equals(options.get(0));
        if (!ignoreNonFinite && Arrays.stream(values).anyMatch(Double::isNaN)) {
            return null;
        }
        SeriesMath.Stats stats = SeriesMath.stats(values, Double.NaN);
        long length =
                Arrays.stream(values).filter(value -> !Double.isNaN(value)).count();
        double sum = Arrays.stream(values).filter(value -> !Double.isNaN(value)).sum();
        return object(json -> {
            number(json, "min", stats.min());
            json.writeNumberField("min_idx", stats.minIndex());
            number(json, "max", stats.max());
            json.writeNumberField("max_idx", stats.maxIndex());
            number(json, "avg", stats.average());
            number(json, "stdev", stats.stdev());
            number(json, "variance", stats.variance());
            number(json, "sum", sum);
            json.writeNumberField("len", length);
        });
    }

    static String outliers(double[] values, List<Object> options) {
        boolean custom = !text(options, 0, "ctukey").equals("tukey");
        double[] scores = SeriesMath.outliers(
                values, custom, real(options, 1, Double.NaN), real(options, 2, 10), real(options, 3, 90));
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartArray();
            for (double score : scores) {
                value(json, score);
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    static String decomposeAnomalies(double[] values, List<Object> options) {
        SeriesMath.Trend trend = switch (text(options, 2, "avg")) {
            case "linefit" -> SeriesMath.Trend.LINEFIT;
            case "none" -> SeriesMath.Trend.NONE;
            default -> SeriesMath.Trend.AVG;
        };
        SeriesMath.Anomalies anomalies = SeriesMath.decomposeAnomalies(
                values,
                real(options, 0, 1.5),
                (int) real(options, 1, -1),
                trend,
                (int) real(options, 3, 0),
                !text(options, 4, "ctukey").equals("tukey"),
                real(options, 5, 0.6));
        return object(json -> {
            // flags are integers -1, 0, 1 (series-decompose-anomalies-function)
            json.writeArrayFieldStart("ad_flag");
            for (double flag : anomalies.flags()) {
                json.writeNumber((long) flag);
            }
            json.writeEndArray();
            array(json, "ad_score", anomalies.scores());
            array(json, "baseline", anomalies.baseline());
        });
    }

    /** The elements of a JSON array as numbers (NaN for null and non-numbers); null if it is not an array. */
    static double[] numbers(String series) {
        try (JsonParser parser = JSON.createParser(series)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<Double> values = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                switch (token) {
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> values.add(parser.getDoubleValue());
                    case VALUE_TRUE -> values.add(1.0);
                    case VALUE_FALSE -> values.add(0.0);
                    case START_ARRAY, START_OBJECT -> {
                        parser.skipChildren();
                        values.add(Double.NaN);
                    }
                    default -> values.add(Double.NaN);
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        } catch (IOException e) {
            return null;
        }
    }

    /** The optional arguments: numbers, strings or null per position. */
    static List<Object> arguments(String options) {
        List<Object> arguments = new ArrayList<>();
        if (options == null) {
            return arguments;
        }
        try (JsonParser parser = JSON.createParser(options)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return arguments;
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                switch (token) {
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> arguments.add(parser.getDoubleValue());
                    case VALUE_STRING -> arguments.add(parser.getText());
                    case VALUE_TRUE -> arguments.add(Boolean.TRUE);
                    case VALUE_FALSE -> arguments.add(Boolean.FALSE);
                    default -> arguments.add(null);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return arguments;
    }

    private static double real(List<Object> options, int index, double fallback) {
        if (index < options.size() && options.get(index) instanceof Double value) {
            return value;
        }
        return fallback;
    }

    private static String text(List<Object> options, int index, String fallback) {
        if (index < options.size() && options.get(index) instanceof String value && !value.isEmpty()) {
            return value.toLowerCase(Locale.ROOT);
        }
        return fallback;
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static String object(Fields fields) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void number(JsonGenerator json, String name, double value) throws IOException {
        json.writeFieldName(name);
        value(json, value);
    }

    private static void array(JsonGenerator json, String name, double[] values) throws IOException {
        json.writeArrayFieldStart(name);
        for (double value : values) {
            value(json, value);
        }
        json.writeEndArray();
    }

    /** JSON has no NaN or infinity: they become null. */
    private static void value(JsonGenerator json, double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }
}
