package dev.kiln.bench.coldstart;

import dev.kiln.bench.cluster.BenchFleet;
import dev.kiln.bench.cluster.GatewayClient;
import dev.kiln.bench.cluster.ModelFileServer;
import dev.kiln.bench.ChildProcesses;
import dev.kiln.bench.report.BenchResult;
import dev.kiln.bench.report.ResultOptions;
import dev.kiln.local.models.NpmModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Cold vs warm: from {@code kubectl apply} of a Model to its first answer, with a warm spare and the
 * model cached, with a warm spare and a download, and with no spare; and a burst on a busy worker.
 * Kiln runs on this machine as {@code kiln dev} runs it.
 *
 * <p>Usage: {@code bench/cold-vs-warm.sh [--rounds N] [--smoke]}; {@code --smoke} runs one round
 * without a warm-up.
 */
@Command(name = "cold-vs-warm", mixinStandardHelpOptions = true,
    description = "Time from kubectl apply of a Model to its first answer, warm and cold, as ratios.")
public final class ColdVsWarmBench implements Callable<Integer> {

  private static final Duration SERVICE_TIME = Duration.ofMillis(1000);

  @Option(names = "--rounds", defaultValue = "5", description = "Rounds; each runs every case (default: ${DEFAULT-VALUE}).")
  private int rounds;

  @Option(names = "--smoke", description = "One round and no warm-up, to check that it runs.")
  private boolean smoke;

  @Option(names = "--work", defaultValue = "bench/target/cold-vs-warm",
      description = "Where Kiln keeps its control plane, workers and logs (default: ${DEFAULT-VALUE}).")
  private Path work;

  @Mixin
  private ResultOptions results;

  public static void main(String[] args) {
    ChildProcesses.stopAllOnJvmExit();
    System.exit(new CommandLine(new ColdVsWarmBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int measured = smoke ? 1 : rounds;
    ColdVsWarmReport report = run(work, measured, !smoke);
    BenchResult result = report.result(results.command("bench/cold-vs-warm.sh" + (smoke ? " --smoke" : "")
        + " --rounds " + measured), results.started());
    results.write(result);
    return 0;
  }

  /**
   * Starts Kiln under {@code work}, runs every case {@code rounds} times, taking turns (after one
   * unmeasured case (a) with {@code warmUp}), and stops it.
   */
  static ColdVsWarmReport run(Path work, int rounds, boolean warmUp) throws Exception {
    Path file = NpmModels.u2netp();
    ColdStarts.RealModel model = new ColdStarts.RealModel(file, NpmModels.U2NETP_SHA256, "background-removal",
        "image/png", picture());
    try (ModelFileServer server = ModelFileServer.start(file, work);
        BenchFleet fleet = BenchFleet.start(work, 1, 8, server.trustStoreJvmOptions())) {
      GatewayClient client = new GatewayClient(fleet, fleet.apiKey("bench"));
      ColdStarts starts = new ColdStarts(fleet, client, server, model, SERVICE_TIME);
      if (warmUp) {
        // Unmeasured: the operator's and gateway's first reconciles and requests in this JVM are slow.
        starts.applyToFirstAnswer(ColdStart.WARM_CACHED, 0);
      }
      Map<ColdStart, List<Duration>> times = new EnumMap<>(ColdStart.class);
      int scaledUp = 0;
      List<ColdStart> order = new ArrayList<>(List.of(ColdStart.values()));
      for (int round = 1; round <= rounds; round++) {
        for (ColdStart start : order) {
          Duration time;
          if (start == ColdStart.BUSY_BURST) {
            ColdStarts.Burst burst = starts.burst(round);
            time = burst.firstAnswer();
            scaledUp += burst.scaledUp() ? 1 : 0;
          } else {
            time = starts.applyToFirstAnswer(start, round);
          }
          System.out.printf("round %d, %s: %.2f s%n", round, start.description(), time.toNanos() / 1e9);
          times.computeIfAbsent(start, any -> new ArrayList<>()).add(time);
        }
        order.addLast(order.removeFirst());
      }
      return new ColdVsWarmReport(times, scaledUp, SERVICE_TIME);
    }
  }

  /** A small picture for the background-removal model: a light disc on a dark ground. */
  private static byte[] picture() throws IOException {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(Color.DARK_GRAY);
    graphics.fillRect(0, 0, 64, 64);
    graphics.setColor(Color.ORANGE);
    graphics.fillOval(16, 16, 32, 32);
    graphics.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }
}
