package dev.kiln.gateway;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the gateway from its environment (see {@link GatewaySettings}) and stops it on SIGTERM. */
public final class GatewayMain {

  private GatewayMain() {}

  public static void main(String[] args) throws InterruptedException {
    // One line per event: time, level, logger, message.
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
    Logger log = LoggerFactory.getLogger(GatewayMain.class);
    GatewaySettings settings;
    try {
      settings = GatewaySettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("kiln gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    Gateway gateway = Gateway.start(settings, client, Clock.systemUTC());
    log.info("gateway started runPort={} queuePort={} opsPort={} tls={} namespaces={}", gateway.runPort(),
        gateway.queuePort(), gateway.opsPort(),
        settings.tls().isPresent(), settings.namespaces().isEmpty() ? "all" : settings.namespaces());
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("gateway draining grace={}", settings.shutdownGrace());
      try {
        if (!gateway.shutdown(settings.shutdownGrace())) {
          log.warn("gateway stopped with requests unfinished after the grace period");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      client.close();
      stopped.countDown();
    }, "kiln-gateway-shutdown"));
    stopped.await();
  }
}
