package io.vigil.store.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeriesMathTest {
    /** series-fit-line-function's example: y = [2,5,6,8,11,15,17,18,25,26,30,30]; the page truncates to 3 digits. */
    @Test
    void fitLineMatchesTheDocumentationExample() {
        SeriesMath.LineFit fit = SeriesMath.fitLine(new double[] {2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30});
        assertThat(fit.rSquare()).isCloseTo(0.982, within(0.001));
        assertThat(fit.slope()).isCloseTo(2.730, within(0.001));
        assertThat(fit.variance()).isCloseTo(98.628, within(0.001));
        assertThat(fit.interception()).isCloseTo(-1.666, within(0.001));
        assertThat(fit.lineFit()[0]).isCloseTo(1.064, within(0.001));
        assertThat(fit.lineFit()[11]).isCloseTo(31.102, within(0.001));
        assertThat(fit.rVariance()).isCloseTo(1.686, within(0.001));
    }

    /** series-stats-function's example. */
    @Test
    void statsMatchTheDocumentationExample() {
        SeriesMath.Stats stats =
                SeriesMath.stats(new double[] {23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29}, Double.NaN);
        assertThat(stats.min()).isEqualTo(2);
        assertThat(stats.minIndex()).isEqualTo(8);
        assertThat(stats.max()).isEqualTo(87);
        assertThat(stats.maxIndex()).isEqualTo(3);
        assertThat(stats.average()).isCloseTo(32.8, within(1e-9));
        assertThat(stats.stdev()).isCloseTo(28.503633853548269, within(1e-9));
        assertThat(stats.variance()).isCloseTo(812.45714285714291, within(1e-9));
    }

    @Test
    void outlierScoresAreDistancesBeyondTheFencesInRanges() {
        // 25th and 75th percentiles of 1..9 and 100 (10 values): 3.25 and 7.75, range 4.5
        double[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
        double[] scores = SeriesMath.outliers(values, false, Double.NaN, 10, 90);
        assertThat(scores[9]).isCloseTo((100 - 7.75) / 4.5, within(1e-9));
        assertThat(scores[0]).isCloseTo((1 - 3.25) / 4.5, within(1e-9));
        assertThat(scores[4]).isZero();
    }

    @Test
    void decompositionFindsASpikeOnAWeeklyPatternWithoutTrend() {
        double[] values = new double[28];
        for (int index = 0; index < values.length; index++) {
            values[index] = (index % 7 == 5 || index % 7 == 6) ? 2 : 10;
        }
        values[17] = 40;
        assertThat(SeriesMath.detectPeriod(values, 0.6)).isEqualTo(7);
        SeriesMath.Anomalies anomalies =
                SeriesMath.decomposeAnomalies(values, 1.5, -1, SeriesMath.Trend.NONE, 0, true, 0.6);
        for (int index = 0; index < values.length; index++) {
            double expected = 0;
            if (index == 17) {
                expected = 1;
            }
            assertThat(anomalies.flags()[index]).as("flag %d", index).isEqualTo(expected);
        }
        assertThat(anomalies.baseline()[17]).isEqualTo(10);
        assertThat(anomalies.baseline()[5]).isEqualTo(2);
    }

    @Test
    void linefitTrendFollowsASteadyRise() {
        double[] values = new double[20];
        for (int index = 0; index < values.length; index++) {
            values[index] = index + 1;
        }
        values[19] = 60;
        SeriesMath.Anomalies anomalies =
                SeriesMath.decomposeAnomalies(values, 1.5, 0, SeriesMath.Trend.LINEFIT, 0, true, 0.6);
        assertThat(anomalies.flags()[19]).isEqualTo(1);
        assertThat(anomalies.flags()[0]).isEqualTo(0);
    }
}
