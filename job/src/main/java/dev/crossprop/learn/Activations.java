package dev.crossprop.learn;

/**
 * Hidden-unit nonlinearities computed for a whole layer, with their derivatives.
 *
 * <p>tanh is computed here rather than with {@link Math#tanh}, which on JDK 17 calls the native
 * fdlibm routine and costs about 16 ns per value. For |x| &lt; {@value #SERIES_LIMIT} it sums the
 * Taylor series of tanh to x^31 (the first omitted term is below 2^-53 relative there); above it,
 * it uses tanh(|x|) = 1 - 2 / (exp(2|x|) + 1), whose cancellation costs at most a few ulps once
 * tanh(|x|) &gt; 0.45; from |x| = {@value #SATURATION} on, tanh rounds to 1 in double precision.
 * {@code ActivationsTest} checks the result against {@link StrictMath#tanh} to within 1e-15
 * relative.
 *
 * <p>The exponential is {@link Math#exp}, a HotSpot intrinsic that is about 1.6 times faster than
 * the pure Java {@link StrictMath#exp} of JDK 17. Results are repeatable: on HotSpot the
 * interpreter and both compilers call the same exp routine, so a learner gives the same bits on
 * every run on one JVM build and processor architecture.
 * NOTE: Math.exp may differ in the last bit between JVM builds or architectures, so a learner's
 * state restored on another kind of machine can drift from the original in the last bits.
 */
final class Activations {

    static final double SERIES_LIMIT = 0.5;
    static final double SATURATION = 22.0;

    /** Taylor coefficients of tanh(x) / x in powers of x^2, from 2^2n (2^2n - 1) B_2n / (2n)!. */
    private static final double[] TANH_SERIES = {
        1.0,
        -1.0 / 3,
        2.0 / 15,
        -17.0 / 315,
        62.0 / 2835,
        -1382.0 / 155925,
        21844.0 / 6081075,
        -929569.0 / 638512875,
        6404582.0 / 10854718875.0,
        -443861162.0 / 1856156927625.0,
        18888466084.0 / 194896477400625.0,
        -113927491862.0 / 2900518163668125.0,
        58870668456604.0 / 3698160658676859375.0,
        -8374643517010684.0 / 1298054391195577640625.0,
        689005380505609448.0 / 263505041412702261046875.0,
        -129848163681107301953.0 / 122529844256906551386796875.0,
    };

    private Activations() {}

    /** Returns tanh(x) to within a few ulps; NaN stays NaN. */
    static double tanh(double x) {
        double a = Math.abs(x);
        if (a >= SATURATION) {
            return Math.copySign(1.0, x);
        }
        if (a >= SERIES_LIMIT) {
            double e = Math.exp(2.0 * a);
            return Math.copySign(1.0 - 2.0 / (e + 1.0), x);
        }
        // Horner's rule from the smallest term keeps the rounding error of the sum near 1 ulp.
        double x2 = x * x;
        double[] s = TANH_SERIES;
        double p = s[15];
        for (int i = 14; i >= 0; i--) {
            p = p * x2 + s[i];
        }
        return x * p;
    }

    /** Returns 1 / (1 + exp(-x)). */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * Applies the activation to net[0..n) and writes phi = g(net) and the derivative g'(net).
     * net and phi may be the same array.
     */
    static void apply(
            Activation activation, double[] net, double[] phi, double[] derivative, int n) {
        switch (activation) {
            case TANH -> {
                for (int j = 0; j < n; j++) {
                    double p = tanh(net[j]);
                    phi[j] = p;
                    derivative[j] = 1.0 - p * p;
                }
            }
            case SIGMOID -> {
                for (int j = 0; j < n; j++) {
                    double p = sigmoid(net[j]);
                    phi[j] = p;
                    derivative[j] = p * (1.0 - p);
                }
            }
            case RELU -> {
                for (int j = 0; j < n; j++) {
                    double v = net[j];
                    boolean active = v > 0.0;
                    phi[j] = active ? v : 0.0;
                    derivative[j] = active ? 1.0 : 0.0;
                }
            }
        }
    }
}
