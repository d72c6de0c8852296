package dev.crossprop.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EstimateTest {

    @Test
    void knownSample() {
        double[] values = {2, 4, 4, 4, 5, 5, 7, 9, 99};

        Estimate estimate = Estimate.of(values, 8);

        // First 8 values: sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32, sample
        // variance 32 / 7, standard error sqrt(32 / 7) / sqrt(8) = sqrt(4 / 7).
        assertThat(estimate.mean()).isEqualTo(5.0);
        assertThat(estimate.standardError()).isCloseTo(Math.sqrt(4.0 / 7), within(1e-15));
        assertThat(estimate.runs()).isEqualTo(8);
    }

    @Test
    void oneValueHasNoError() {
        Estimate estimate = Estimate.of(new double[] {3.5}, 1);

        assertThat(estimate.mean()).isEqualTo(3.5);
        assertThat(estimate.standardError()).isNaN();
        assertThat(estimate.runs()).isEqualTo(1);
    }

    @Test
    void noValuesIsNone() {
        Estimate estimate = Estimate.of(new double[0], 0);

        assertThat(estimate.mean()).isNaN();
        assertThat(estimate.runs()).isZero();
    }
}
