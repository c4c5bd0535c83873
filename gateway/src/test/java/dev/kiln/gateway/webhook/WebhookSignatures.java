package dev.kiln.gateway.webhook;

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
import java.util.TreeMap;

/**
 * Checks a webhook's signature as a receiver would, independently of the gateway's signing code: the key rebuilt from
 * the JWKS document (RFC 8037), the signed text as FAL-PROTOCOL describes it, the JDK's own Ed25519.
 */
public final class WebhookSignatures {

  private WebhookSignatures() {}

  /** The key of a JWKS document's first key, rebuilt from its {@code x}: the little-endian encoded point. */
  public static PublicKey publicKey(JsonNode jwks) throws Exception {
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

  /** Whether the {@code X-Fal-Webhook-*} {@code headers} (any case) sign {@code body} with {@code key}. */
  public static boolean verifies(PublicKey key, Map<String, String> headers, byte[] body) throws Exception {
    Map<String, String> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    named.putAll(headers);
    Signature signature = Signature.getInstance("Ed25519");
    signature.initVerify(key);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    signature.update(String.join("\n", named.get(WebhookSigner.REQUEST_ID), named.get(WebhookSigner.USER_ID),
        named.get(WebhookSigner.TIMESTAMP), digest).getBytes(StandardCharsets.UTF_8));
    return signature.verify(HexFormat.of().parseHex(named.get(WebhookSigner.SIGNATURE)));
  }
}
