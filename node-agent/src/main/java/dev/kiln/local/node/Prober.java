package dev.kiln.local.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Runs a container's HTTP and TCP probes against the pod's loopback address. */
final class Prober {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  private Prober() {}

  /** Why a probe cannot be run by the node agent, or null when it can. */
  static String unsupportedReason(Probe probe, Container container) {
    IntOrString port;
    if (probe.getHttpGet() != null) {
      String scheme = probe.getHttpGet().getScheme();
      if (scheme != null && !scheme.equalsIgnoreCase("HTTP")) {
        return "HTTPS probes are not supported";
      }
      port = probe.getHttpGet().getPort();
    } else if (probe.getTcpSocket() != null) {
      port = probe.getTcpSocket().getPort();
    } else {
      return "only httpGet and tcpSocket probes are supported";
    }
    try {
      port(port, container);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static boolean probe(Probe probe, Container container, String podIp) {
    Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
    if (probe.getHttpGet() != null) {
      var action = probe.getHttpGet();
      int port = port(action.getPort(), container);
      String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
      var request = HttpRequest.newBuilder(URI.create("http://" + podIp + ":" + port + (path.startsWith("/") ? "" : "/") + path))
          .timeout(timeout)
          .GET();
      for (HTTPHeader header : action.getHttpHeaders() == null ? List.<HTTPHeader>of() : action.getHttpHeaders()) {
        request.header(header.getName(), header.getValue());
      }
      try {
        int status = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        return status >= 200 && status < 400;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    int port = port(probe.getTcpSocket().getPort(), container);
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(podIp, port), (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int port(IntOrString port, Container container) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return (container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()).stream()
        .filter(candidate -> port.getStrVal().equals(candidate.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "container " + container.getName() + " has no port named " + port.getStrVal()));
  }
}
