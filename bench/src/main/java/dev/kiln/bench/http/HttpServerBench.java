package dev.kiln.bench.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the runtime's HTTP server by measurement: each candidate runs in a JVM of its own on
 * 127.0.0.1 and {@code wrk} drives {@code POST /infer} with a 1 KiB body over 32 keep-alive
 * connections. Candidates take turns over several rounds so machine noise spreads over all of
 * them; results are printed as ratios against the JDK's built-in server from the same run.
 *
 * <p>Usage: {@code bench/http-servers.sh [ROUNDS] [SECONDS]}; needs {@code wrk} (Debian package wrk).
 */
public final class HttpServerBench {

  private static final List<String> CANDIDATES = List.of("jdk", "jetty", "helidon");
  private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern PERCENTILE = Pattern.compile("\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)");

  private record Sample(double requestsPerSecond, double p50Millis, double p99Millis, long rssKib) {}

  private HttpServerBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Path script = Files.createTempFile("kiln-bench-post", ".lua");
    script.toFile().deleteOnExit();
    Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
        + "wrk.body = '{\"inputs\":[{\"name\":\"x\",\"shape\":[1,256],\"datatype\":\"FP32\",\"data\":["
        + "0.5,".repeat(255) + "0.5]}]}'\n");
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    CANDIDATES.forEach(name -> samples.put(name, new ArrayList<>()));
    for (int round = 1; round <= rounds; round++) {
      for (String candidate : CANDIDATES) {
        Sample sample = measure(candidate, script, seconds);
        samples.get(candidate).add(sample);
        System.out.printf("round %d %-8s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  rss %6d MiB%n", round, candidate,
            sample.requestsPerSecond(), sample.p50Millis(), sample.p99Millis(), sample.rssKib() / 1024);
      }
    }
    Sample baseline = mean(samples.get("jdk"));
    System.out.printf("%nmean over %d rounds, ratio against the JDK server (throughput: higher is better; "
        + "latency and memory: lower is better)%n", rounds);
    System.out.printf("%-8s %10s %8s %9s %9s %9s %9s%n", "server", "req/s", "x jdk", "p50 ms", "x jdk", "p99 ms", "x jdk");
    for (var entry : samples.entrySet()) {
      Sample mean = mean(entry.getValue());
      System.out.printf("%-8s %10.0f %8.2f %9.2f %9.2f %9.2f %9.2f   rss %d MiB (x%.2f)%n", entry.getKey(),
          mean.requestsPerSecond(), mean.requestsPerSecond() / baseline.requestsPerSecond(),
          mean.p50Millis(), mean.p50Millis() / baseline.p50Millis(),
          mean.p99Millis(), mean.p99Millis() / baseline.p99Millis(),
          mean.rssKib() / 1024, (double) mean.rssKib() / baseline.rssKib());
    }
  }

  private static Sample measure(String candidate, Path script, int seconds) throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), CandidateServer.class.getName(),
        candidate, Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      awaitListening(port, server);
      String url = "http://127.0.0.1:" + port + "/infer";
      wrk(script, url, 3);
      String output = wrk(script, url, seconds);
      return new Sample(number(REQUESTS_PER_SECOND, output), percentile(output, "50"), percentile(output, "99"),
          rssKib(server.pid()));
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String wrk(Path script, String url, int seconds) throws IOException, InterruptedException {
    Process wrk;
    try {
      wrk = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + seconds + "s", "--latency", "-s", script.toString(), url)
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("this benchmark needs wrk: apt-get install wrk", e);
    }
    String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (wrk.waitFor() != 0 || output.contains("Non-2xx")) {
      throw new IllegalStateException("wrk failed against " + url + ":\n" + output);
    }
    return output;
  }

  private static void awaitListening(int port, Process server) throws InterruptedException {
    for (int attempt = 0; attempt < 300; attempt++) {
      if (!server.isAlive()) {
        throw new IllegalStateException("candidate server exited with " + server.exitValue());
      }
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        server.waitFor(100, TimeUnit.MILLISECONDS);
      }
    }
    throw new IllegalStateException("candidate server did not listen on " + port + " within 30 s");
  }

  private static double percentile(String output, String which) {
    Matcher matcher = PERCENTILE.matcher(output);
    while (matcher.find()) {
      if (matcher.group(1).equals(which)) {
        double value = Double.parseDouble(matcher.group(2));
        return switch (matcher.group(3)) {
          case "us" -> value / 1000;
          case "s" -> value * 1000;
          default -> value;
        };
      }
    }
    throw new IllegalStateException("no " + which + "% latency in wrk output:\n" + output);
  }

  private static double number(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException("unexpected wrk output:\n" + output);
    }
    return Double.parseDouble(matcher.group(1));
  }

  private static long rssKib(long pid) throws IOException {
    try (BufferedReader status = new BufferedReader(new InputStreamReader(
        Files.newInputStream(Path.of("/proc", Long.toString(pid), "status")), StandardCharsets.UTF_8))) {
      return status.lines().filter(line -> line.startsWith("VmRSS:"))
          .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
          .findFirst().orElse(0L);
    }
  }

  private static Sample mean(List<Sample> samples) {
    return new Sample(
        samples.stream().mapToDouble(Sample::requestsPerSecond).average().orElse(0),
        samples.stream().mapToDouble(Sample::p50Millis).average().orElse(0),
        samples.stream().mapToDouble(Sample::p99Millis).average().orElse(0),
        (long) samples.stream().mapToLong(Sample::rssKib).average().orElse(0));
  }
}
