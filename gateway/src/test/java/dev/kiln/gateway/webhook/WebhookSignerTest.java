package dev.kiln.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
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
    PublicKey published = fromJwks(signer.jwks());
    assertThat(verifies(published, headers, BODY)).isTrue();
    byte[] tampered = BODY.clone();
    tampered[5] ^= 1;
    assertThat(verifies(published, headers, tampered)).isFalse();
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

    PublicKey published = fromJwks(signer.jwks());
    assertThat(published.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    assertThat(verifies(pair.getPublic(), signer.headers("r-2", "ns/ci", AT, BODY), BODY)).isTrue();
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

  /** Rebuilds the public key from the JWKS x as a receiver would (RFC 8037: the little-endian encoded point). */
  static PublicKey fromJwks(JsonNode jwks) throws Exception {
    byte[] raw = Base64.getUrlDecoder().decode(jwks.get("keys").get(0).get("x").asText());
    boolean xOdd = (raw[raw.length - 1] & 0x80) != 0;
    raw[raw.length - 1] &= 0x7f;
    byte[] bigEndian = new byte[raw.length];
    for (int i = 0; i < raw.length; i++) {
      bigEndian[i] = raw[raw.length - 1 - i];
    }
    return KeyFactory.getInstance("Ed25519").generatePublic(
        new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, bigEndian))));
  }

  /** Checks the signature headers over {@code body} as a receiver would. */
  static boolean verifies(PublicKey key, Map<String, String> headers, byte[] body) throws Exception {
    Signature signature = Signature.getInstance("Ed25519");
    signature.initVerify(key);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    signature.update(String.join("\n", headers.get(WebhookSigner.REQUEST_ID), headers.get(WebhookSigner.USER_ID),
        headers.get(WebhookSigner.TIMESTAMP), digest).getBytes(StandardCharsets.UTF_8));
    return signature.verify(HexFormat.of().parseHex(headers.get(WebhookSigner.SIGNATURE)));
  }
}
