package dev.crossprop.sinks.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordCsvTest {

    private static ErrorRecord regression(double error) {
        return new ErrorRecord(
                "geoff-seed-1/crossprop-eta0", "geoff-seed-1", "crossprop-eta0", "A", 5, 6,
                error, Double.NaN, 1, false);
    }

    @Test
    void extremeDoublesRoundTripShortest() {
        for (double value : DoubleCases.nonNegative(13, 2000)) {
            NormRecord norm = new NormRecord("r/l", "r", "l", "A", 1, 1, value, value, 1, false);

            String line = RecordCsv.toCsv(norm);

            String written = line.split(",")[6];
            assertThat(Double.parseDouble(written)).as(written).isEqualTo(value);
            assertThat(DoubleCases.significantDigits(written)).as(written)
                    .isLessThanOrEqualTo(DoubleCases.significantDigits(Double.toString(value)));
            assertThat(RecordCsv.parseNorm(line).uChange()).isEqualTo(value);
        }
    }

    @Test
    void headersListColumnsInOrder() {
        assertThat(RecordCsv.ERROR_HEADER)
                .isEqualTo("experiment,run,learner,task,index,step,error,accuracy,examples,diverged");
        assertThat(RecordCsv.NORM_HEADER)
                .isEqualTo(
                        "experiment,run,learner,task,index,step,u_change,w_change,u_change_sq,"
                                + "w_change_sq,examples,diverged");
    }

    @Test
    void regressionLeavesAccuracyEmpty() {
        ErrorRecord record = regression(0.25);

        String line = RecordCsv.toCsv(record);

        // Expected text follows the format rules: NaN accuracy is an empty field.
        assertThat(line)
                .isEqualTo(
                        "geoff-seed-1/crossprop-eta0,geoff-seed-1,crossprop-eta0,A,5,6,0.25,,1,false");
        ErrorRecord back = RecordCsv.parseError(line);
        assertThat(back).isEqualTo(record);
        assertThat(back.accuracy()).isNaN();
    }

    @Test
    void classificationWindowRoundTrips() {
        ErrorRecord record =
                new ErrorRecord("m/adam", "m", "adam", "C", 999, 1000, 0.6931471805599453, 0.7, 100,
                        false);

        String line = RecordCsv.toCsv(record);

        assertThat(line).isEqualTo("m/adam,m,adam,C,999,1000,0.6931471805599453,0.7,100,false");
        assertThat(RecordCsv.parseError(line)).isEqualTo(record);
    }

    @Test
    void divergedErrorIsEmptyField() {
        ErrorRecord record =
                new ErrorRecord("r/l", "r", "l", "B", 7, 8, Double.POSITIVE_INFINITY, Double.NaN, 1,
                        true);

        String line = RecordCsv.toCsv(record);

        assertThat(line).isEqualTo("r/l,r,l,B,7,8,,,1,true");
        ErrorRecord back = RecordCsv.parseError(line);
        // Infinity is written as an empty field, so it reads back as NaN; the flag survives.
        assertThat(back.error()).isNaN();
        assertThat(back.diverged()).isTrue();
    }

    @Test
    void commasAndQuotesAreQuoted() {
        ErrorRecord record =
                new ErrorRecord("run,1/adam \"fast\"", "run,1", "adam \"fast\"", " A ", 0, 1, 2.0,
                        Double.NaN, 1, false);

        String line = RecordCsv.toCsv(record);

        assertThat(line)
                .isEqualTo(
                        "\"run,1/adam \"\"fast\"\"\",\"run,1\",\"adam \"\"fast\"\"\",\" A \","
                                + "0,1,2.0,,1,false");
        assertThat(RecordCsv.parseError(line)).isEqualTo(record);
    }

    @Test
    void emptyTaskRoundTrips() {
        ErrorRecord record = new ErrorRecord("r/l", "r", "l", "", 0, 1, 1.0, Double.NaN, 1, false);

        assertThat(RecordCsv.parseError(RecordCsv.toCsv(record))).isEqualTo(record);
    }

    @Test
    void doublesRoundTripExactly() {
        Random random = new Random(42);
        double[] special = {0.1, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, 0.0, 123456789.125};
        for (int i = 0; i < 1000 + special.length; i++) {
            double value =
                    i < special.length
                            ? special[i]
                            : Math.abs(random.nextGaussian()) * Math.pow(10, random.nextInt(20) - 10);
            NormRecord record = new NormRecord("r/l", "r", "l", "A", i, i + 1, value, value / 7, 1, false);

            NormRecord back = RecordCsv.parseNorm(RecordCsv.toCsv(record));

            assertThat(back.uChange()).as("u_change %s", value).isEqualTo(value);
            assertThat(back.wChange()).as("w_change %s", value / 7).isEqualTo(value / 7);
        }
    }

    @Test
    void normWritesSquares() {
        NormRecord record = new NormRecord("r/l", "r", "l", "A", 3, 4, 0.5, 3.0, 1, false);

        String line = RecordCsv.toCsv(record);

        // 0.5^2 = 0.25 and 3^2 = 9 are exact in binary floating point.
        assertThat(line).isEqualTo("r/l,r,l,A,3,4,0.5,3.0,0.25,9.0,1,false");
        assertThat(RecordCsv.parseNorm(line)).isEqualTo(record);
    }

    @Test
    void divergedNormIsEmptyField() {
        NormRecord record =
                new NormRecord("r/l", "r", "l", "A", 3, 4, Double.NaN, 2.0, 1, true);

        String line = RecordCsv.toCsv(record);

        assertThat(line).isEqualTo("r/l,r,l,A,3,4,,2.0,,4.0,1,true");
        NormRecord back = RecordCsv.parseNorm(line);
        assertThat(back.uChange()).isNaN();
        assertThat(back.wChange()).isEqualTo(2.0);
        assertThat(back.diverged()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock = """
            too few columns     | r/l,r,l,A,5,6,0.25,,1                   | expected 10 columns
            too many columns    | r/l,r,l,A,5,6,0.25,,1,false,x           | found 11
            text as index       | r/l,r,l,A,five,6,0.25,,1,false          | column 'index' has the value 'five'
            text as error       | r/l,r,l,A,5,6,abc,,1,false              | column 'error' has the value 'abc'
            NaN token as error  | r/l,r,l,A,5,6,NaN,,1,false              | column 'error' has the value 'NaN'
            overflowing error   | r/l,r,l,A,5,6,1e400,,1,false            | overflows a double
            unknown boolean     | r/l,r,l,A,5,6,0.25,,1,yes               | column 'diverged' has the value 'yes'
            zero examples       | r/l,r,l,A,5,6,0.25,,0,false             | examples is 0
            negative index      | r/l,r,l,A,-5,6,0.25,,1,false            | index is -5
            error missing       | r/l,r,l,A,5,6,,,1,false                 | error is NaN
            accuracy above 1    | r/l,r,l,A,5,6,0.25,1.5,1,false          | accuracy is 1.5
            empty learner       | r/l,r,,A,5,6,0.25,,1,false              | learner is empty
            """)
    void parseErrorRejects(String name, String line, String message) {
        assertThatThrownBy(() -> RecordCsv.parseError(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parseErrorRejectsBrokenQuotes() {
        assertThatThrownBy(() -> RecordCsv.parseError("\"r/l,r,l,A,5,6,0.25,,1,false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'experiment' has an opening quote without a closing one");
        assertThatThrownBy(() -> RecordCsv.parseError("\"r/l\"x,r,l,A,5,6,0.25,,1,false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'experiment' has text after its closing quote");
        assertThatThrownBy(() -> RecordCsv.parseError("r/l,r,l\"x,A,5,6,0.25,,1,false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'learner' has a double quote inside");
    }

    @Test
    void parseNormRejectsBadSquare() {
        assertThatThrownBy(() -> RecordCsv.parseNorm("r/l,r,l,A,3,4,0.5,3.0,x,9.0,1,false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'u_change_sq' has the value 'x'");
    }

    @Test
    void parseNormRejectsErrorLine() {
        assertThatThrownBy(() -> RecordCsv.parseNorm("r/l,r,l,A,5,6,0.25,,1,false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 12 columns")
                .hasMessageContaining("found 10");
    }
}
