package io.vigil.store.series;

import java.util.Arrays;

/**
 * The numeric kernels of KQL's series functions over {@code double[]} series, where a missing or
 * non-numeric element is {@code NaN}. Each method cites the Microsoft Learn page it follows
 * (https://learn.microsoft.com/kusto/query/...); where the page leaves an algorithm open, the method says
 * what Vigil does.
 */
public final class SeriesMath {
    private SeriesMath() {}

    /** series_fit_line's columns (series-fit-line-function). */
    public record LineFit(
            double rSquare, double slope, double variance, double rVariance, double interception, double[] lineFit) {}

    /**
     * Least-squares line over x = 1, 2, ..., n (the page's example: interception -1.666 and first fitted
     * value 1.064 = -1.666 + 2.730). variance is the sample variance of the values, rvariance the sample
     * variance of the residuals, rsquare 1 - SSres / SStot. Missing values are left out of the fit.
     */
    public static LineFit fitLine(double[] values) {
        double count = 0;
        double sumX = 0;
        double sumY = 0;
        for (int index = 0; index < values.length; index++) {
            if (!Double.isNaN(values[index])) {
                count++;
                sumX += index + 1;
                sumY += values[index];
            }
        }
        double[] line = new double[values.length];
        if (count == 0) {
            Arrays.fill(line, Double.NaN);
            return new LineFit(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, line);
        }
        double meanX = sumX / count;
        double meanY = sumY / count;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int index = 0; index < values.length; index++) {
            if (!Double.isNaN(values[index])) {
                double dx = index + 1 - meanX;
                double dy = values[index] - meanY;
                sxx += dx * dx;
                sxy += dx * dy;
                syy += dy * dy;
            }
        }
        double slope = 0;
        if (sxx > 0) {
            slope = sxy / sxx;
        }
        double interception = meanY - slope * meanX;
        double residualSquares = 0;
        for (int index = 0; index < values.length; index++) {
            line[index] = interception + slope * (index + 1);
            if (!Double.isNaN(values[index])) {
                double residual = values[index] - line[index];
                residualSquares += residual * residual;
            }
        }
        double variance = 0;
        double rVariance = 0;
        if (count > 1) {
            variance = syy / (count - 1);
            rVariance = residualSquares / (count - 1);
        }
        double rSquare = 1;
        if (syy > 0) {
            rSquare = 1 - residualSquares / syy;
        }
        return new LineFit(rSquare, slope, variance, rVariance, interception, line);
    }

    /** series_stats's columns (series-stats-function); indexes are 0-based, -1 when there is no value. */
    public record Stats(
            double min, long minIndex, double max, long maxIndex, double average, double variance, double stdev) {}

    /** Statistics of the values other than missing ones and {@code ignoreValue} (when not NaN). */
    public static Stats stats(double[] values, double ignoreValue) {
        double min = Double.NaN;
        double max = Double.NaN;
        long minIndex = -1;
        long maxIndex = -1;
        double sum = 0;
        int count = 0;
        for (int index = 0; index < values.length; index++) {
            double value = values[index];
            if (Double.isNaN(value) || value == ignoreValue) {
                continue;
            }
            if (minIndex < 0 || value < min) {
                min = value;
                minIndex = index;
            }
            if (maxIndex < 0 || value > max) {
                max = value;
                maxIndex = index;
            }
            sum += value;
            count++;
        }
        if (count == 0) {
            return new Stats(Double.NaN, -1, Double.NaN, -1, Double.NaN, Double.NaN, Double.NaN);
        }
        double average = sum / count;
        double squares = 0;
        for (double value : values) {
            if (!Double.isNaN(value) && value != ignoreValue) {
                squares += (value - average) * (value - average);
            }
        }
        double variance = 0;
        if (count > 1) {
            variance = squares / (count - 1);
        }
        return new Stats(min, minIndex, max, maxIndex, average, variance, Math.sqrt(variance));
    }

    /**
     * Tukey fence scores (series-outliers-function): with the low and high percentiles q1 and q3 of the
     * values (10th/90th for {@code ctukey}, 25th/75th for {@code tukey}), a value above q3 scores
     * (value - q3) / (q3 - q1), one below q1 scores (value - q1) / (q3 - q1), others 0; so a score above
     * 1.5 is outside the classic fence. Missing and ignored values score 0. When q3 == q1 (a flat series
     * with a few spikes) the sample standard deviation stands in for q3 - q1, so that spikes still score;
     * the page does not say what Kusto does there. Percentiles interpolate linearly between the closest
     * ranks.
     */
    public static double[] outliers(
            double[] values, boolean custom, double ignoreValue, double minPercentile, double maxPercentile) {
        return outliers(values, values.length, custom, ignoreValue, minPercentile, maxPercentile);
    }

    /** As {@link #outliers(double[], boolean, double, double, double)}, learning the fences from a prefix. */
    private static double[] outliers(
            double[] values,
            int learned,
            boolean custom,
            double ignoreValue,
            double minPercentile,
            double maxPercentile) {
        double low = 25;
        double high = 75;
        if (custom) {
            low = minPercentile;
            high = maxPercentile;
        }
        double[] sample = Arrays.stream(values, 0, learned)
                .filter(value -> !Double.isNaN(value) && value != ignoreValue)
                .sorted()
                .toArray();
        double[] scores = new double[values.length];
        if (sample.length == 0) {
            return scores;
        }
        double q1 = percentile(sample, low);
        double q3 = percentile(sample, high);
        double range = q3 - q1;
        if (range <= 0) {
            range = standardDeviation(sample);
        }
        for (int index = 0; index < values.length; index++) {
            double value = values[index];
            if (Double.isNaN(value) || value == ignoreValue || range <= 0) {
                continue;
            }
            if (value > q3) {
                scores[index] = (value - q3) / range;
            } else if (value < q1) {
                scores[index] = (value - q1) / range;
            }
        }
        return scores;
    }

    private static double standardDeviation(double[] sample) {
        if (sample.length < 2) {
            return 0;
        }
        double mean = Arrays.stream(sample).average().orElse(0);
        double squares = Arrays.stream(sample)
                .map(value -> (value - mean) * (value - mean))
                .sum();
        return Math.sqrt(squares / (sample.length - 1));
    }

    private static double[] clipToFences(double[] values) {
        double[] sorted = Arrays.stream(values)
                .filter(value -> !Double.isNaN(value))
                .sorted()
                .toArray();
        if (sorted.length == 0) {
            return values;
        }
        double low = percentile(sorted, 10);
        double high = percentile(sorted, 90);
        double lowest = low - 1.5 * (high - low);
        double highest = high + 1.5 * (high - low);
        double[] clipped = new double[values.length];
        for (int index = 0; index < values.length; index++) {
            clipped[index] = values[index];
            if (!Double.isNaN(values[index])) {
                clipped[index] = Math.max(lowest, Math.min(highest, values[index]));
            }
        }
        return clipped;
    }

    /** The p-th percentile (0-100) of sorted values, interpolating between the closest ranks. */
    static double percentile(double[] sorted, double p) {
        double position = p / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    /** series_decompose_anomalies's outputs (series-decompose-anomalies-function). */
    public record Anomalies(double[] flags, double[] scores, double[] baseline) {}

    /** The trend component of series_decompose (series-decompose-function). */
    public enum Trend {
        AVG,
        LINEFIT,
        NONE
    }

    /**
     * Decomposition then anomaly scoring (series-decompose-function, series-decompose-anomalies-function):
     * the seasonal component is the median of the learned points of the same phase; the trend is fitted to
     * the deseasonalized learned points (their average, or a least-squares line); baseline = seasonal +
     * trend; the residuals are scored with {@link #outliers} (fences learned from the first
     * {@code n - testPoints} residuals); a score above {@code threshold} flags +1, below
     * {@code -threshold} flags -1. Seasonality -1 detects a period with {@link #detectPeriod}.
     */
    public static Anomalies decomposeAnomalies(
            double[] values,
            double threshold,
            int seasonality,
            Trend trend,
            int testPoints,
            boolean customTukey,
            double seasonalityThreshold) {
        int length = values.length;
        int learned = Math.max(0, length - Math.max(0, testPoints));
        double[] learning = Arrays.copyOf(values, learned);
        int period = seasonality;
        if (seasonality < 0) {
            period = detectPeriod(learning, seasonalityThreshold);
        }
        double[] seasonal = new double[length];
        if (period > 1 && learned > 0) {
            for (int phase = 0; phase < period; phase++) {
                double[] same = new double[(learned + period - 1) / period];
                int count = 0;
                for (int index = phase; index < learned; index += period) {
                    if (!Double.isNaN(values[index])) {
                        same[count++] = values[index];
                    }
                }
                double median = 0;
                if (count > 0) {
                    double[] sorted = Arrays.copyOf(same, count);
                    Arrays.sort(sorted);
                    median = percentile(sorted, 50);
                }
                for (int index = phase; index < length; index += period) {
                    seasonal[index] = median;
                }
            }
        }
        double[] deseasonalized = new double[learned];
        for (int index = 0; index < learned; index++) {
            deseasonalized[index] = values[index] - seasonal[index];
        }
        double[] trendComponent = new double[length];
        switch (trend) {
            case AVG -> {
                double average = Arrays.stream(deseasonalized)
                        .filter(value -> !Double.isNaN(value))
                        .average()
                        .orElse(0);
                Arrays.fill(trendComponent, average);
            }
            case LINEFIT -> {
                LineFit fit = fitLine(deseasonalized);
                if (!Double.isNaN(fit.slope())) {
                    for (int index = 0; index < length; index++) {
                        trendComponent[index] = fit.interception() + fit.slope() * (index + 1);
                    }
                }
            }
            case NONE -> {
                // no trend component
            }
        }
        double[] baseline = new double[length];
        double[] residual = new double[length];
        for (int index = 0; index < length; index++) {
            baseline[index] = seasonal[index] + trendComponent[index];
            residual[index] = values[index] - baseline[index];
        }
        double[] scores = outliers(residual, learned, customTukey, Double.NaN, 10, 90);
        double[] flags = new double[length];
        for (int index = 0; index < length; index++) {
            if (scores[index] > threshold) {
                flags[index] = 1;
            } else if (scores[index] < -threshold) {
                flags[index] = -1;
            }
        }
        return new Anomalies(flags, scores, baseline);
    }

    /**
     * A simplified stand-in for series_periods_detect: the lag between 2 and n/2 whose autocorrelation
     * of the mean-removed series is highest, if it reaches {@code threshold}; 0 (no seasonality)
     * otherwise. Values beyond the custom Tukey fences (10th/90th percentiles, k = 1.5) are clipped to
     * them first, so that the anomalies being looked for do not hide the period. Kusto combines a
     * periodogram with the autocorrelation and may find other periods.
     */
    public static int detectPeriod(double[] series, double threshold) {
        int length = series.length;
        double[] values = clipToFences(series);
        double mean = Arrays.stream(values)
                .filter(value -> !Double.isNaN(value))
                .average()
                .orElse(0);
        double[] centered = new double[length];
        double energy = 0;
        for (int index = 0; index < length; index++) {
            if (!Double.isNaN(values[index])) {
                centered[index] = values[index] - mean;
                energy += centered[index] * centered[index];
            }
        }
        if (energy == 0) {
            return 0;
        }
        int best = 0;
        double bestCorrelation = threshold;
        for (int lag = 2; lag <= length / 2; lag++) {
            double sum = 0;
            for (int index = lag; index < length; index++) {
                sum += centered[index] * centered[index - lag];
            }
            // normalised by the overlap so that long lags are not penalised for having fewer pairs
            double correlation = sum / energy * length / (length - lag);
            if (correlation >= bestCorrelation + 1e-12 || (best == 0 && correlation >= bestCorrelation)) {
                best = lag;
                bestCorrelation = correlation;
            }
        }
        return best;
    }
}
