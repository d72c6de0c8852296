package dev.crossprop.sinks.records;

import java.util.Random;

/** Doubles that stress a decimal writer, and a digit count to check that it writes the shortest form. */
final class DoubleCases {

    private DoubleCases() {}

    /** Returns edge values, then random finite bit patterns, all made non-negative like a norm. */
    static double[] nonNegative(long seed, int count) {
        Random random = new Random(seed);
        double[] values = new double[count];
        double[] extremes = {Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 1e23, 2e-3, 5e-324,
            4.9e-324, 1.0E-5, 9.007199254740993E15, 0.1 + 0.2, -0.0, 123456789.0};
        System.arraycopy(extremes, 0, values, 0, extremes.length);
        for (int i = extremes.length; i < values.length; i++) {
            // Random finite bit patterns cover every exponent, subnormals included.
            double value;
            do {
                value = Double.longBitsToDouble(random.nextLong());
            } while (!Double.isFinite(value));
            values[i] = value;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i]);
        }
        return values;
    }

    /** Counts the digits of a decimal number's significand, without leading or trailing zeros. */
    static int significantDigits(String number) {
        String significand = number.replaceFirst("[eE].*", "").replace("-", "").replace(".", "");
        return significand.replaceFirst("^0+", "").replaceFirst("0+$", "").length();
    }
}
