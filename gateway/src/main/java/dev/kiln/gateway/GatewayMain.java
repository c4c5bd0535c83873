package dev.kiln.gateway;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the gateway from its environment (see {@link GatewaySettings}) and stops it on SIGTERM. */
public final class GatewayMain {

  private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {}

  public static void main(String[] args) throws InterruptedException {
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
    log.info("gateway started runPort={} queuePort={} tls={} namespaces={}", gateway.runPort(), gateway.queuePort(),
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
