package dev.crossprop.learn;

import java.io.Serializable;
import java.util.Objects;

/**
 * Immutable, validated configuration of one learner: its kind, the network's sizes (m inputs, n
 * hidden units, k outputs), the activation, the output kind, the step sizes, eta and the optimizer
 * constants.
 *
 * <p>Defaults follow the experiments of the crossprop paper (Veeriah, Zhang and Sutton, 2017,
 * "Crossprop: Learning Representations by Stochastic Meta-Gradient Descent in Neural Networks")
 * and the TensorFlow 1 optimizers that they used: step
 * size 0.0005 for U and W, tanh, regression, eta 0, momentum 0.9, RMSProp decay 0.9 with epsilon
 * 1e-10 and mean square starting at 1, Adam beta1 0.9, beta2 0.999 and epsilon 1e-8, N(0, 1)
 * initialization. U's step size also applies to the hidden bias b and W's to the output bias c.
 * In crossprop the memory h tracks the derivative of W's update, so its update uses W's step size.
 */
public final class LearnerConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Step size of the crossprop paper's GEOFF and MNIST experiments. */
    public static final double DEFAULT_STEP_SIZE = 0.0005;

    private final LearnerKind kind;
    private final int inputs;
    private final int hidden;
    private final int outputs;
    private final Activation activation;
    private final OutputKind outputKind;
    private final double stepSizeU;
    private final double stepSizeW;
    private final double eta;
    private final double momentum;
    private final double rmsDecay;
    private final double rmsEpsilon;
    private final double rmsInitial;
    private final double adamBeta1;
    private final double adamBeta2;
    private final double adamEpsilon;
    private final Initialization initialization;

    private LearnerConfig(Builder b) {
        this.kind = b.kind;
        this.inputs = b.inputs;
        this.hidden = b.hidden;
        this.outputs = b.outputs;
        this.activation = b.activation;
        this.outputKind = b.outputKind;
        this.stepSizeU = b.stepSizeU;
        this.stepSizeW = b.stepSizeW;
        this.eta = b.eta;
        this.momentum = b.momentum;
        this.rmsDecay = b.rmsDecay;
        this.rmsEpsilon = b.rmsEpsilon;
        this.rmsInitial = b.rmsInitial;
        this.adamBeta1 = b.adamBeta1;
        this.adamBeta2 = b.adamBeta2;
        this.adamEpsilon = b.adamEpsilon;
        this.initialization = b.initialization;
    }

    /**
     * Starts a configuration with the defaults listed in the class comment.
     *
     * @param inputs m, the number of inputs, at least 1
     * @param hidden n, the number of hidden units, at least 1
     * @param outputs k, the number of outputs, at least 1 (at least 2 for classification)
     */
    public static Builder builder(LearnerKind kind, int inputs, int hidden, int outputs) {
        return new Builder(kind, inputs, hidden, outputs);
    }

    /** Returns a builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, inputs, hidden, outputs);
        b.activation = activation;
        b.outputKind = outputKind;
        b.stepSizeU = stepSizeU;
        b.stepSizeW = stepSizeW;
        b.eta = eta;
        b.momentum = momentum;
        b.rmsDecay = rmsDecay;
        b.rmsEpsilon = rmsEpsilon;
        b.rmsInitial = rmsInitial;
        b.adamBeta1 = adamBeta1;
        b.adamBeta2 = adamBeta2;
        b.adamEpsilon = adamEpsilon;
        b.initialization = initialization;
        return b;
    }

    public LearnerKind kind() {
        return kind;
    }

    /** Returns m, the number of inputs. */
    public int inputs() {
        return inputs;
    }

    /** Returns n, the number of hidden units. */
    public int hidden() {
        return hidden;
    }

    /** Returns k, the number of outputs (classes for classification). */
    public int outputs() {
        return outputs;
    }

    public Activation activation() {
        return activation;
    }

    public OutputKind outputKind() {
        return outputKind;
    }

    /** Returns the step size of U and the hidden bias b. */
    public double stepSizeU() {
        return stepSizeU;
    }

    /** Returns the step size of W and the output bias c (and of crossprop's memory h). */
    public double stepSizeW() {
        return stepSizeW;
    }

    /** Returns eta in [0, 1]: 0 is pure crossprop, 1 is backprop; 0 for other learners. */
    public double eta() {
        return eta;
    }

    /** Returns mu, the momentum learner's decay of the velocity. */
    public double momentum() {
        return momentum;
    }

    /** Returns rho, RMSProp's decay of the mean square. */
    public double rmsDecay() {
        return rmsDecay;
    }

    /** Returns RMSProp's epsilon, added to the mean square inside the square root. */
    public double rmsEpsilon() {
        return rmsEpsilon;
    }

    /** Returns the value that RMSProp's mean square starts at. */
    public double rmsInitial() {
        return rmsInitial;
    }

    public double adamBeta1() {
        return adamBeta1;
    }

    public double adamBeta2() {
        return adamBeta2;
    }

    /** Returns Adam's epsilon, added to the square root of the second moment. */
    public double adamEpsilon() {
        return adamEpsilon;
    }

    public Initialization initialization() {
        return initialization;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LearnerConfig)) {
            return false;
        }
        LearnerConfig other = (LearnerConfig) o;
        return kind == other.kind
                && inputs == other.inputs
                && hidden == other.hidden
                && outputs == other.outputs
                && activation == other.activation
                && outputKind == other.outputKind
                && Double.compare(stepSizeU, other.stepSizeU) == 0
                && Double.compare(stepSizeW, other.stepSizeW) == 0
                && Double.compare(eta, other.eta) == 0
                && Double.compare(momentum, other.momentum) == 0
                && Double.compare(rmsDecay, other.rmsDecay) == 0
                && Double.compare(rmsEpsilon, other.rmsEpsilon) == 0
                && Double.compare(rmsInitial, other.rmsInitial) == 0
                && Double.compare(adamBeta1, other.adamBeta1) == 0
                && Double.compare(adamBeta2, other.adamBeta2) == 0
                && Double.compare(adamEpsilon, other.adamEpsilon) == 0
                && initialization == other.initialization;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                kind, inputs, hidden, outputs, activation, outputKind, stepSizeU, stepSizeW, eta,
                momentum, rmsDecay, rmsEpsilon, rmsInitial, adamBeta1, adamBeta2, adamEpsilon,
                initialization);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("LearnerConfig{");
        s.append(kind.id()).append(' ').append(inputs).append('-').append(hidden).append('-')
                .append(outputs);
        s.append(", activation=").append(activation.id());
        s.append(", output=").append(outputKind.id());
        s.append(", stepSizeU=").append(stepSizeU).append(", stepSizeW=").append(stepSizeW);
        if (kind.usesEta()) {
            s.append(", eta=").append(eta);
        }
        switch (kind) {
            case MOMENTUM -> s.append(", momentum=").append(momentum);
            case RMSPROP -> s.append(", rmsDecay=").append(rmsDecay)
                    .append(", rmsEpsilon=").append(rmsEpsilon)
                    .append(", rmsInitial=").append(rmsInitial);
            case ADAM -> s.append(", adamBeta1=").append(adamBeta1)
                    .append(", adamBeta2=").append(adamBeta2)
                    .append(", adamEpsilon=").append(adamEpsilon);
            default -> { }
        }
        s.append(", init=").append(initialization.id()).append('}');
        return s.toString();
    }

    /** Builder of {@link LearnerConfig}; {@link #build()} validates every value. */
    public static final class Builder {
        private final LearnerKind kind;
        private final int inputs;
        private final int hidden;
        private final int outputs;
        private Activation activation = Activation.TANH;
        private OutputKind outputKind = OutputKind.REGRESSION;
        private double stepSizeU = DEFAULT_STEP_SIZE;
        private double stepSizeW = DEFAULT_STEP_SIZE;
        private double eta = 0.0;
        private double momentum = 0.9;
        private double rmsDecay = 0.9;
        private double rmsEpsilon = 1e-10;
        private double rmsInitial = 1.0;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private Initialization initialization = Initialization.NORMAL;

        private Builder(LearnerKind kind, int inputs, int hidden, int outputs) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.inputs = inputs;
            this.hidden = hidden;
            this.outputs = outputs;
        }

        public Builder activation(Activation activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        public Builder outputKind(OutputKind outputKind) {
            this.outputKind = Objects.requireNonNull(outputKind, "outputKind");
            return this;
        }

        /** Sets the step size of both U (with b) and W (with c). */
        public Builder stepSize(double stepSize) {
            this.stepSizeU = stepSize;
            this.stepSizeW = stepSize;
            return this;
        }

        public Builder stepSizeU(double stepSize) {
            this.stepSizeU = stepSize;
            return this;
        }

        public Builder stepSizeW(double stepSize) {
            this.stepSizeW = stepSize;
            return this;
        }

        public Builder eta(double eta) {
            this.eta = eta;
            return this;
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder rmsDecay(double rmsDecay) {
            this.rmsDecay = rmsDecay;
            return this;
        }

        public Builder rmsEpsilon(double rmsEpsilon) {
            this.rmsEpsilon = rmsEpsilon;
            return this;
        }

        public Builder rmsInitial(double rmsInitial) {
            this.rmsInitial = rmsInitial;
            return this;
        }

        public Builder adamBeta1(double adamBeta1) {
            this.adamBeta1 = adamBeta1;
            return this;
        }

        public Builder adamBeta2(double adamBeta2) {
            this.adamBeta2 = adamBeta2;
            return this;
        }

        public Builder adamEpsilon(double adamEpsilon) {
            this.adamEpsilon = adamEpsilon;
            return this;
        }

        public Builder initialization(Initialization initialization) {
            this.initialization = Objects.requireNonNull(initialization, "initialization");
            return this;
        }

        /**
         * Validates every value and returns the configuration.
         *
         * @throws IllegalArgumentException naming the first invalid value and its allowed range
         */
        public LearnerConfig build() {
            validateSizes();
            validateStepSizesAndEta();
            validateOptimizerConstants();
            return new LearnerConfig(this);
        }

        private void validateSizes() {
            requireAtLeast("inputs (m)", inputs, 1);
            requireAtLeast("hidden units (n)", hidden, 1);
            requireAtLeast("outputs (k)", outputs, 1);
            if (outputKind == OutputKind.CLASSIFICATION && outputs < 2) {
                throw new IllegalArgumentException(
                        "outputs (k) = " + outputs
                                + " is invalid for classification: a softmax needs at least 2"
                                + " classes");
            }
        }

        private void validateStepSizesAndEta() {
            requirePositive("step size of U", stepSizeU);
            requirePositive("step size of W", stepSizeW);
            if (!(eta >= 0.0 && eta <= 1.0)) {
                throw new IllegalArgumentException(
                        "eta = " + eta + " is invalid: it must be in [0, 1]"
                                + " (0 is pure crossprop, 1 is backprop)");
            }
            if (!kind.usesEta() && eta != 0.0) {
                throw new IllegalArgumentException(
                        "eta = " + eta + " is invalid for learner '" + kind.id()
                                + "': only crossprop and crossprop-approx use eta; leave it unset");
            }
        }

        private void validateOptimizerConstants() {
            requireInUnitInterval("momentum", momentum);
            requireInUnitInterval("RMSProp decay", rmsDecay);
            requirePositive("RMSProp epsilon", rmsEpsilon);
            if (!(rmsInitial >= 0.0 && Double.isFinite(rmsInitial))) {
                throw new IllegalArgumentException(
                        "RMSProp initial mean square = " + rmsInitial
                                + " is invalid: it must be finite and at least 0");
            }
            requireInUnitInterval("Adam beta1", adamBeta1);
            requireInUnitInterval("Adam beta2", adamBeta2);
            requirePositive("Adam epsilon", adamEpsilon);
        }

        private static void requireAtLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(
                        name + " = " + value + " is invalid: it must be at least " + min);
            }
        }

        private static void requirePositive(String name, double value) {
            if (!(value > 0.0 && Double.isFinite(value))) {
                throw new IllegalArgumentException(
                        name + " = " + value + " is invalid: it must be finite and greater than 0");
            }
        }

        private static void requireInUnitInterval(String name, double value) {
            if (!(value >= 0.0 && value < 1.0)) {
                throw new IllegalArgumentException(
                        name + " = " + value + " is invalid: it must be in [0, 1)");
            }
        }
    }
}
