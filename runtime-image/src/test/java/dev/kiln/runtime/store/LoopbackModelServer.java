package dev.kiln.runtime.store;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS file server on 127.0.0.1 for model downloads: real TLS (a keystore made by the JDK's
 * keytool), Range requests, optional bearer-token auth, a fault that breaks the first response
 * off after some bytes, and a gate that holds responses until released.
 */
public final class LoopbackModelServer implements AutoCloseable {

  private static final String PASSWORD = "changeit";

  private final HttpsServer server;
  private final SSLContext sslContext;
  private final Path keystore;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final List<String> rangeHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger fullDownloads = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String requiredToken;
  private volatile long breakFirstResponseAfter = -1;
  private volatile CountDownLatch gate = new CountDownLatch(0);

  public LoopbackModelServer(Path workDirectory) throws Exception {
    keystore = workDirectory.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    sslContext = SSLContext.getInstance("TLS");
    sslContext.init(keys.getKeyManagers(), trust.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::serve);
    server.start();
  }

  public URI uri(String path) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  URI base() {
    return uri("/");
  }

  /** A client that trusts this server's certificate. */
  HttpClient trustingClient() {
    return HttpClient.newBuilder().sslContext(sslContext).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** The JVM options that make another JVM, such as a runtime process, trust this server. */
  public List<String> trustStoreJvmOptions() {
    return List.of("-Djavax.net.ssl.trustStore=" + keystore, "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
        "-Djavax.net.ssl.trustStoreType=PKCS12");
  }

  public void put(String path, byte[] content) {
    files.put(path, content);
  }

  /** From now on, files are served only to requests with {@code Authorization: Bearer token}; others get 401. */
  public void requireToken(String token) {
    requiredToken = token;
  }

  void breakFirstResponseAfter(long bytes) {
    breakFirstResponseAfter = bytes;
  }

  /** Holds every response until {@link #openGate()}. */
  public void closeGate() {
    gate = new CountDownLatch(1);
  }

  public void openGate() {
    gate.countDown();
  }

  public int fullDownloads() {
    return fullDownloads.get();
  }

  public int requests() {
    return requests.get();
  }

  List<String> rangeHeaders() {
    return rangeHeaders;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      gate.await();
      if (requiredToken != null
          && !("Bearer " + requiredToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      byte[] content = files.get(exchange.getRequestURI().getPath());
      if (content == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String range = exchange.getRequestHeaders().getFirst("Range");
      int from = 0;
      if (range != null) {
        rangeHeaders.add(range);
        from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
        if (from >= content.length) {
          exchange.sendResponseHeaders(416, -1);
          return;
        }
        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        exchange.sendResponseHeaders(206, content.length - from);
      } else {
        fullDownloads.incrementAndGet();
        exchange.sendResponseHeaders(200, content.length);
      }
      OutputStream body = exchange.getResponseBody();
      long breakAfter = breakFirstResponseAfter;
      if (breakAfter >= 0) {
        breakFirstResponseAfter = -1;
        body.write(content, from, (int) breakAfter);
        body.flush();
        throw new IOException("breaking the response off after " + breakAfter + " bytes, as the test asked");
      }
      body.write(content, from, content.length - from);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
