package dev.kiln.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** A {@link BenchResult.Chart} drawn as a PNG bar chart. */
final class ChartImage {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 420;
  private static final Color[] PALETTE = {
      new Color(0xE4, 0x6C, 0x0A), new Color(0x3B, 0x6E, 0xA8), new Color(0x5B, 0x9A, 0x5B),
      new Color(0x9B, 0x59, 0xB6), new Color(0x7F, 0x7F, 0x7F)};

  private ChartImage() {}

  static void write(BenchResult.Chart chart, Path file) {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (BenchResult.Series series : chart.series()) {
      for (int i = 0; i < chart.categories().size(); i++) {
        data.addValue(series.values().get(i), series.name(), chart.categories().get(i));
      }
    }
    JFreeChart image = ChartFactory.createBarChart(chart.title(), null, chart.valueAxis(), data,
        PlotOrientation.VERTICAL, chart.series().size() > 1, false, false);
    image.setBackgroundPaint(Color.WHITE);
    image.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    CategoryPlot plot = image.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getDomainAxis().setCategoryLabelPositions(chart.categories().size() > 4
        ? CategoryLabelPositions.UP_45 : CategoryLabelPositions.STANDARD);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.05);
    for (int i = 0; i < chart.series().size(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    if (chart.reference() != null) {
      ValueMarker reference = new ValueMarker(chart.reference(), Color.DARK_GRAY,
          new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
      plot.addRangeMarker(reference);
    }
    try {
      ChartUtils.saveChartAsPNG(file.toFile(), image, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
