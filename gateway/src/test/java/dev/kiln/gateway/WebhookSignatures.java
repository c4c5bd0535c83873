package dev.kiln.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Checks a webhook's signature as a receiver would, independently of the gateway's signing code: the key from the
 * JWKS document, the signed text as FAL-PROTOCOL describes it, the JDK's own Ed25519.
 */
final class WebhookSignatures {

  private WebhookSignatures() {}

  /** The signing key from a JWKS document's first key, rebuilt from {@code x} (RFC 8037). */
  static PublicKey publicKey(JsonNode jwks) throws Exception {
    JsonNode jwk = jwks.path("keys").get(0);
    if (!jwk.path("kty").asText().equals("OKP") || !jwk.path("crv").asText().equals("Ed25519")) {
      throw new IllegalArgumentException("not an Ed25519 JWK: " + jwk);
    }
    byte[] raw = Base64.getUrlDecoder().decode(jwk.path("x").asText());
    boolean xOdd = (raw[raw.length - 1] & 0x80) != 0;
    raw[raw.length - 1] &= 0x7f;
    byte[] bigEndian = new byte[raw.length];
    for (int i = 0; i < raw.length; i++) {
      bigEndian[i] = raw[raw.length - 1 - i];
    }
    return KeyFactory.getInstance("Ed25519").generatePublic(
        new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, bigEndian))));
  }

  /** Whether {@code delivery} is signed by {@code key} over its exact body. */
  static boolean valid(WebhookReceiver.Delivery delivery, PublicKey key) throws Exception {
    Map<String, String> headers = delivery.headers();
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(delivery.body()));
    Signature signature = Signature.getInstance("Ed25519");
    signature.initVerify(key);
    signature.update(String.join("\n", headers.get("x-fal-webhook-request-id"), headers.get("x-fal-webhook-user-id"),
        headers.get("x-fal-webhook-timestamp"), digest).getBytes(StandardCharsets.UTF_8));
    return signature.verify(HexFormat.of().parseHex(headers.get("x-fal-webhook-signature")));
  }
}
