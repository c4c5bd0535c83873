package dev.kiln.local.controlplane;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for a component to turn healthy. The scheduler and controller-manager serve their health
 * endpoints with certificates they generate themselves at start, so those probes do not verify
 * the server certificate; they only ever go to 127.0.0.1.
 */
final class LoopbackHealth {

  private static final HttpClient INSECURE_LOOPBACK = HttpClient.newBuilder()
      .sslContext(trustingSslContext())
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private LoopbackHealth() {}

  static BooleanSupplier httpOk(String url) {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    return () -> {
      try {
        return INSECURE_LOOPBACK.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }

  static BooleanSupplier listening(int port) {
    return () -> {
      try (var socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    };
  }

  /** Waits until {@code healthy}; fails at once, with the process log, if the process exits. */
  static void await(LocalProcess process, Duration timeout, BooleanSupplier healthy) {
    try {
      Awaitility.await(process.name() + " healthy")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            process.requireAlive();
            return healthy.getAsBoolean();
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("%s did not turn healthy within %s; last lines of %s:%n%s"
          .formatted(process.name(), timeout, process.logFile(), process.logTail(40)), e);
    }
  }

  private static SSLContext trustingSslContext() {
    TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
