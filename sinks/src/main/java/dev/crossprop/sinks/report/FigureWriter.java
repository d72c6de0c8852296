package dev.crossprop.sinks.report;

import dev.crossprop.sinks.report.ExperimentStats.Metric;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.text.DecimalFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws the report's figures as PNG files with JFreeChart. Each figure has one line per learner (the
 * mean over runs) with a shaded band of plus or minus one standard error. A dashed vertical line,
 * labelled with the task letter, marks where each stage starts.
 *
 * <p>Crossprop learners get warm colours and backprop learners cool ones, in learner order within
 * each family. An error axis switches to a log scale when the plotted means span more than a factor
 * of 100, because early errors would otherwise flatten the rest of the curve. Rendering is headless.
 */
final class FigureWriter {

    static {
        // Charts are drawn into images only, so no display is needed.
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 1200;
    static final int HEIGHT = 700;

    /** Ratio of the largest to the smallest mean above which an error axis is logarithmic. */
    private static final double LOG_SCALE_RATIO = 100;

    private static final Color[] WARM = {
        new Color(0xD7301F), // red
        new Color(0xFD8D3C), // orange
        new Color(0x7F0000), // dark red
        new Color(0xE6A800), // amber
        new Color(0xE7298A), // rose
        new Color(0xA65628), // brown
    };
    private static final Color[] COOL = {
        new Color(0x1F78B4), // blue
        new Color(0x33A02C), // green
        new Color(0x6A3D9A), // purple
        new Color(0x17BECF), // cyan
        new Color(0x08306B), // navy
        new Color(0x66C2A5), // sea green
    };
    private static final Color[] OTHER = {
        new Color(0x555555), new Color(0x999999), new Color(0x000000),
    };

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 22);
    private static final Font SUBTITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font AXIS_LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 17);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font STAGE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Color GRID = new Color(0xDDDDDD);
    private static final Color MINOR_GRID = new Color(0xEBEBEB);
    private static final Color STAGE_LINE = new Color(0x444444);

    /** A written figure: its file name in the output folder and a one-line caption. */
    record Figure(String fileName, String caption) {}

    private FigureWriter() {}

    /** Writes every figure of the report into {@code outDir} and returns them in order. */
    static List<Figure> writeAll(ReportData data, Path outDir) throws IOException {
        List<Figure> figures = new ArrayList<>();
        String errorName = data.errorLabel();
        figures.add(write(data, outDir, Metric.ERROR, "figure-1-error.png", errorName, errorName,
                "Learning curves: " + errorName + " before each update."));
        if (data.classification()) {
            figures.add(write(data, outDir, Metric.ACCURACY, "figure-1-accuracy.png",
                    "accuracy", "accuracy (fraction correct)",
                    "Learning curves: fraction of examples classified correctly."));
        }
        figures.add(write(data, outDir, Metric.U_CHANGE, "figure-2-u-change.png",
                "‖U − U₀‖", "‖U − U₀‖ (Frobenius norm)",
                "Change of the input-to-hidden weights U from their initial values."));
        figures.add(write(data, outDir, Metric.W_CHANGE, "figure-3-w-change.png",
                "‖W − W₀‖", "‖W − W₀‖ (Frobenius norm)",
                "Change of the hidden-to-output weights W from their initial values."));
        return figures;
    }

    private static Figure write(
            ReportData data, Path outDir, Metric metric, String fileName, String quantity,
            String axisLabel, String caption) throws IOException {
        JFreeChart chart = chart(data, metric, quantity, axisLabel);
        try (OutputStream out = Files.newOutputStream(outDir.resolve(fileName))) {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        }
        return new Figure(fileName, caption);
    }

    private static JFreeChart chart(ReportData data, Metric metric, String quantity, String axisLabel) {
        List<Curve> curves = data.curves().get(metric);
        boolean logScale = metric == Metric.ERROR && spansDecades(curves);
        YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, false);
        renderer.setAlpha(0.2f);
        ColourPicker colours = new ColourPicker();
        for (int i = 0; i < curves.size(); i++) {
            Curve curve = curves.get(i);
            dataset.addSeries(series(curve, logScale));
            Color colour = colours.next(curve.learner().kind().family());
            renderer.setSeriesPaint(i, colour);
            renderer.setSeriesFillPaint(i, colour);
            renderer.setSeriesStroke(
                    i, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }

        XYPlot plot = new XYPlot(dataset, domainAxis(data.layout()),
                rangeAxis(metric, axisLabel, logScale), renderer);
        stylePlot(plot);
        // Minor grid lines help to read a log axis between decades; on a linear axis they clutter.
        plot.setRangeMinorGridlinesVisible(logScale);
        addStageMarkers(plot, data.layout());

        JFreeChart chart = new JFreeChart(title(data, quantity), TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(8, 8, 8, 28));
        TextTitle subtitle = new TextTitle(subtitle(data, logScale), SUBTITLE_FONT);
        subtitle.setPaint(new Color(0x333333));
        chart.addSubtitle(subtitle);
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(LEGEND_FONT);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        legend.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static String title(ReportData data, String quantity) {
        String runs = data.runCount() == 1 ? "1 run" : data.runCount() + " runs";
        return data.taskTitle() + ": " + quantity + ", mean over " + runs + ", bins of "
                + data.layout().binSize() + " examples";
    }

    private static String subtitle(ReportData data, boolean logScale) {
        StringBuilder text = new StringBuilder("Line: mean over runs of each run's bin mean");
        text.append(data.runCount() > 1 ? "; band: ± 1 standard error" : "; one run, so no band");
        text.append("; dashed lines: task changes");
        if (logScale) {
            text.append("; log scale");
        }
        return text.toString();
    }

    /** Returns whether the positive means of all curves span more than {@link #LOG_SCALE_RATIO}. */
    private static boolean spansDecades(List<Curve> curves) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Curve curve : curves) {
            for (double mean : curve.mean()) {
                if (mean > 0) {
                    min = Math.min(min, mean);
                    max = Math.max(max, mean);
                }
            }
        }
        return max > 0 && max / min > LOG_SCALE_RATIO;
    }

    private static YIntervalSeries series(Curve curve, boolean logScale) {
        YIntervalSeries series = new YIntervalSeries(curve.learner().label(), false, true);
        for (int i = 0; i < curve.size(); i++) {
            double mean = curve.mean()[i];
            double error = Double.isNaN(curve.standardError()[i]) ? 0 : curve.standardError()[i];
            double low = mean - error;
            if (logScale) {
                if (mean <= 0) {
                    continue;
                }
                // A log axis cannot show a band that reaches zero, so the band stops at a tenth of the mean.
                low = Math.max(low, mean / 10);
            }
            series.add(curve.x()[i], mean, low, mean + error);
        }
        return series;
    }

    private static NumberAxis domainAxis(StageLayout layout) {
        NumberAxis axis = new NumberAxis("example");
        axis.setAutoRangeIncludesZero(false);
        axis.setRange(layout.origin(), layout.end() + 1);
        styleAxis(axis);
        return axis;
    }

    private static ValueAxis rangeAxis(Metric metric, String label, boolean logScale) {
        if (logScale) {
            LogAxis axis = new LogAxis(label + " (log scale)");
            axis.setBase(10);
            axis.setSmallestValue(1e-12);
            // Ticks at whole decades, labelled as plain numbers (0.1, 1, 10) rather than 10^n.
            // The minor grid marks 2 to 9 times each decade.
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            axis.setNumberFormatOverride(new DecimalFormat("#,##0.########"));
            axis.setMinorTickCount(9);
            axis.setMinorTickMarksVisible(true);
            styleAxis(axis);
            return axis;
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        if (metric == Metric.ACCURACY) {
            // A small margin keeps curves at 1.0 off the plot's border.
            axis.setRange(0, 1.01);
            axis.setTickUnit(new NumberTickUnit(0.1));
        }
        styleAxis(axis);
        return axis;
    }

    private static void styleAxis(ValueAxis axis) {
        axis.setLabelFont(AXIS_LABEL_FONT);
        axis.setTickLabelFont(TICK_FONT);
        axis.setLabelPaint(Color.BLACK);
        axis.setTickLabelPaint(Color.BLACK);
    }

    private static void stylePlot(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setRangeMinorGridlinePaint(MINOR_GRID);
        plot.setRangeMinorGridlineStroke(new BasicStroke(0.7f));
        plot.setOutlinePaint(new Color(0x888888));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    }

    /** Adds a dashed line at the start of every stage after the first, and a task letter for all. */
    private static void addStageMarkers(XYPlot plot, StageLayout layout) {
        BasicStroke dashed =
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 5f}, 0f);
        for (Stage stage : layout.stages()) {
            boolean first = stage.firstIndex() == layout.origin();
            // The line sits between the last example of one stage and the first of the next.
            ValueMarker marker = new ValueMarker(first ? layout.origin() : stage.firstIndex() - 0.5);
            marker.setPaint(first ? new Color(0, 0, 0, 0) : STAGE_LINE);
            marker.setStroke(dashed);
            marker.setLabel(stage.label());
            marker.setLabelFont(STAGE_FONT);
            marker.setLabelPaint(STAGE_LINE);
            marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            marker.setLabelOffset(new RectangleInsets(6, 6, 6, 6));
            plot.addDomainMarker(marker, org.jfree.chart.ui.Layer.FOREGROUND);
        }
    }

    /** Hands out colours in order within each family, cycling when a family runs out. */
    private static final class ColourPicker {
        private int warm;
        private int cool;
        private int other;

        Color next(LearnerKind.Family family) {
            return switch (family) {
                case CROSSPROP -> WARM[warm++ % WARM.length];
                case BACKPROP -> COOL[cool++ % COOL.length];
                case OTHER -> OTHER[other++ % OTHER.length];
            };
        }
    }
}
