package dev.kiln.gateway.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.compat.TestCertificates;
import dev.kiln.gateway.server.TlsCertificates;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica reaches its peers by pod IP over https while their certificate names only the
 * Service: it trusts exactly the chain all replicas mount, whatever name the certificate carries.
 */
class PeerTrustTest {

  @TempDir
  static Path work;
  private static TestCertificates serviceCertificate;
  private static WebServer peer;

  @BeforeAll
  static void startPeer() throws Exception {
    serviceCertificate = TestCertificates.create(work.resolve("service"), "dns:kiln-gateway.kiln-system.svc");
    peer = WebServer.builder().host("127.0.0.1").port(0).tls(TlsCertificates.from(serviceCertificate.server()))
        .routing(routing -> routing.get("/healthz", (request, response) -> response.send("ok")))
        .shutdownHook(false).build().start();
  }

  @AfterAll
  static void stopPeer() {
    peer.stop();
  }

  @Test
  void aPeerWithTheSameCertificateIsTrustedByIpThoughItsNameDiffers() throws Exception {
    HttpResponse<String> answer = call(PeerTrust.fromOwnChain(serviceCertificate.server().certificateChain()));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("ok");
  }

  @Test
  void theUsualCheckWouldRefuseThePodIpForTheServiceName() {
    assertThatThrownBy(() -> call(serviceCertificate.clientContext())).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aServerWithAnyOtherCertificateIsRefused() throws Exception {
    TestCertificates other = TestCertificates.create(work.resolve("other"), "dns:kiln-gateway.kiln-system.svc");

    assertThatThrownBy(() -> call(PeerTrust.fromOwnChain(other.server().certificateChain())))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private static HttpResponse<String> call(SSLContext tls) throws Exception {
    try (HttpClient http = HttpClient.newBuilder().sslContext(tls).build()) {
      return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + peer.port() + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
