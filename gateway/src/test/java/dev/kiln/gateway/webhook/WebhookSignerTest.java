package dev.kiln.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSignerTest {

  private static final byte[] BODY = "{\"request_id\":\"r-1\",\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
  private static final Instant AT = Instant.parse("2026-11-25T17:00:00.750Z");

  @Test
  void theSignatureCoversIdsTimestampAndBodyDigestAndVerifiesWithTheJwksKey() throws Exception {
    WebhookSigner signer = WebhookSigner.ephemeral();

    Map<String, String> headers = signer.headers("r-1", "ns/ci", AT, BODY);

    assertThat(headers).containsEntry(WebhookSigner.REQUEST_ID, "r-1")
        .containsEntry(WebhookSigner.USER_ID, "ns/ci")
        .containsEntry(WebhookSigner.TIMESTAMP, "1795626000");
    PublicKey published = WebhookSignatures.publicKey(signer.jwks());
    assertThat(WebhookSignatures.verifies(published, headers, BODY)).isTrue();
    byte[] tampered = BODY.clone();
    tampered[5] ^= 1;
    assertThat(WebhookSignatures.verifies(published, headers, tampered)).isFalse();
  }

  @Test
  void theSignedTextIsTheIdsTimestampAndHexSha256OfTheBodyOnLines() {
    assertThat(new String(WebhookSigner.signedText("r-1", "ns/ci", "1700000000", new byte[0]), StandardCharsets.UTF_8))
        .isEqualTo("r-1\nns/ci\n1700000000\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void aKeyFromAPkcs8PemFileSignsAndPublishesItsOwnPublicKey(@TempDir Path dir) throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path pem = dir.resolve("webhook.pem");
    Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");

    WebhookSigner signer = WebhookSigner.fromPem(pem);

    PublicKey published = WebhookSignatures.publicKey(signer.jwks());
    assertThat(published.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    assertThat(WebhookSignatures.verifies(pair.getPublic(), signer.headers("r-2", "ns/ci", AT, BODY), BODY)).isTrue();
  }

  @Test
  void aFileWithoutAnEd25519KeyIsRefusedWithWhatToPutThere(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("webhook.pem");
    Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> WebhookSigner.fromPem(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_GATEWAY_WEBHOOK_KEY")
        .hasMessageContaining("openssl genpkey -algorithm ed25519");
    assertThatThrownBy(() -> WebhookSigner.fromPem(dir.resolve("missing.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void theJwksDocumentHasOneOkpEd25519Key() {
    JsonNode key = WebhookSigner.ephemeral().jwks().get("keys").get(0);

    assertThat(key.get("kty").asText()).isEqualTo("OKP");
    assertThat(key.get("crv").asText()).isEqualTo("Ed25519");
    assertThat(Base64.getUrlDecoder().decode(key.get("x").asText())).hasSize(32);
  }
}
