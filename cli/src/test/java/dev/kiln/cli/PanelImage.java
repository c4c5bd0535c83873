package dev.kiln.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Dashboard panels drawn as line charts from Prometheus range queries, in a grid, as a PNG. */
final class PanelImage {

  /** One line: its legend and its points (seconds since the first sample, value). */
  record Series(String legend, List<double[]> points) {}

  /** One panel: a title and its lines. */
  record Panel(String title, List<Series> series) {}

  private static final int PANEL_WIDTH = 560;
  private static final int PANEL_HEIGHT = 300;
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

  private PanelImage() {}

  static BufferedImage draw(List<Panel> panels, int columns) {
    int rows = (panels.size() + columns - 1) / columns;
    BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(new Color(0x181b1f));
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      drawPanel(g, panels.get(i), (i % columns) * PANEL_WIDTH, (i / columns) * PANEL_HEIGHT);
    }
    g.dispose();
    return image;
  }

  static void write(BufferedImage image, Path file) throws IOException {
    ImageIO.write(image, "png", file.toFile());
  }

  private static void drawPanel(Graphics2D g, Panel panel, int x, int y) {
    int left = x + 60;
    int top = y + 36;
    int width = PANEL_WIDTH - 80;
    int height = PANEL_HEIGHT - 100;
    g.setColor(new Color(0x22252b));
    g.fillRect(x + 6, y + 6, PANEL_WIDTH - 12, PANEL_HEIGHT - 12);
    g.setColor(new Color(0xd8d9da));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(panel.title(), x + 16, y + 26);
    double maxT = panel.series().stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).max().orElse(1);
    double maxV = panel.series().stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[1])
        .filter(Double::isFinite).max().orElse(1);
    maxV = maxV <= 0 ? 1 : maxV * 1.1;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int tick = 0; tick <= 4; tick++) {
      int ty = top + height - tick * height / 4;
      g.setColor(new Color(0x34383e));
      g.drawLine(left, ty, left + width, ty);
      g.setColor(new Color(0x9fa7b3));
      g.drawString(format(maxV * tick / 4), x + 12, ty + 4);
    }
    g.drawString(String.format(Locale.ROOT, "%.0f s", maxT), left + width - 30, top + height + 16);
    int legendY = top + height + 34;
    int legendX = left;
    for (int i = 0; i < panel.series().size(); i++) {
      Series series = panel.series().get(i);
      g.setColor(COLORS[i % COLORS.length]);
      g.setStroke(new BasicStroke(2f));
      int[] previous = null;
      for (double[] point : series.points()) {
        if (!Double.isFinite(point[1])) {
          previous = null;
          continue;
        }
        int px = left + (int) (point[0] / Math.max(maxT, 1) * width);
        int py = top + height - (int) (point[1] / maxV * height);
        if (previous != null) {
          g.drawLine(previous[0], previous[1], px, py);
        }
        previous = new int[] {px, py};
      }
      g.fillRect(legendX, legendY - 8, 10, 10);
      g.setColor(new Color(0xd8d9da));
      g.drawString(series.legend(), legendX + 14, legendY + 1);
      legendX += 18 + g.getFontMetrics().stringWidth(series.legend()) + 14;
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static String format(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    return value >= 1 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.3f", value);
  }
}
