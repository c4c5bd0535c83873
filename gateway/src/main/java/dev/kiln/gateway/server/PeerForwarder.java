package dev.kiln.gateway.server;

import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.replicas.GatewayReplicas;
import dev.kiln.gateway.replicas.ReplicaId;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a call about a queued request on to the replica that holds it and streams the answer
 * back, status streams included. The peer builds the status URLs for the host the caller used
 * ({@code X-Forwarded-Host}/{@code -Proto}) and, seeing {@value #FORWARDED_BY}, answers from its
 * own store instead of forwarding again.
 */
final class PeerForwarder implements AutoCloseable {

  static final String FORWARDED_BY = "X-Kiln-Forwarded-By";
  private static final Logger log = LoggerFactory.getLogger(PeerForwarder.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Headers about the connection rather than the answer, which the relay sets itself. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
      "content-length", "date", "te", "trailer", "upgrade");

  private final HttpClient http;
  private final ReplicaId self;
  private final Duration callTimeout;

  /**
   * @param tls how peers' certificates are trusted, when the listeners serve https
   * @param callTimeout how long a peer may take to answer a call other than a status stream
   */
  PeerForwarder(ReplicaId self, Optional<SSLContext> tls, Duration callTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT);
    tls.ifPresent(builder::sslContext);
    this.http = builder.build();
    this.self = self;
    this.callTimeout = callTimeout;
  }

  static boolean isForwarded(FalCall call) {
    return call.header(FORWARDED_BY).isPresent();
  }

  /** Answers {@code call} with what {@code peer} answers to it. @param stream whether the answer is a status stream */
  void forward(FalCall call, GatewayReplicas.Peer peer, boolean stream, ServerResponse response) {
    URI base = call.urls().base();
    HttpRequest.Builder request = HttpRequest.newBuilder(target(peer, call))
        .method(call.method(), call.body().length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(call.body()))
        .header("X-Forwarded-Host", base.getRawAuthority())
        .header("X-Forwarded-Proto", base.getScheme())
        .header(FORWARDED_BY, self.mark());
    call.header("Authorization").ifPresent(value -> request.header("Authorization", value));
    if (!stream) {
      request.timeout(callTimeout);
    }
    HttpResponse<InputStream> answer;
    try {
      answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      log.warn("peer replica unreachable pod={} error={}", peer.podName(), e.toString());
      throw FalException.platform(503, "runner_scheduling_failure", "the gateway replica that holds this request ("
          + peer.podName() + ") did not answer: try again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FalException.platform(503, "runner_scheduling_failure", "this gateway replica is stopping: try again");
    }
    relay(answer, response);
  }

  private static URI target(GatewayReplicas.Peer peer, FalCall call) {
    String query = call.query().entrySet().stream()
        .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
        .collect(Collectors.joining("&"));
    return URI.create(peer.queueListener() + call.path() + (query.isEmpty() ? "" : "?" + query));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static void relay(HttpResponse<InputStream> answer, ServerResponse response) {
    response.status(Status.create(answer.statusCode()));
    answer.headers().map().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        response.header(HeaderNames.create(name), values.toArray(String[]::new));
      }
    });
    try (InputStream in = answer.body(); OutputStream out = response.outputStream()) {
      byte[] buffer = new byte[16 * 1024];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
