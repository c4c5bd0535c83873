package dev.kiln.bench.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Loopback ports for the candidates that need one, and waiting for a child process to listen. */
final class Ports {

  private static final Duration POLL = Duration.ofMillis(100);

  private Ports() {}

  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until {@code port} on 127.0.0.1 accepts connections.
   *
   * @param alive false once the process that should listen has died, which ends the wait at once
   * @throws IOException when it does not listen within {@code timeout}, or died
   */
  static void awaitListening(int port, Duration timeout, BooleanSupplier alive, String what)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException notYet) {
        if (!alive.getAsBoolean()) {
          throw new IOException(what + " exited before it listened on port " + port);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(what + " does not listen on port " + port + " after " + timeout.toSeconds() + " s");
        }
        Thread.sleep(POLL);
      }
    }
  }
}
