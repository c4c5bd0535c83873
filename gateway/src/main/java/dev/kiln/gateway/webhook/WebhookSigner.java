package dev.kiln.gateway.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs webhook deliveries as fal does, with one Ed25519 key: the hex signature over the UTF-8
 * text {@code request_id \n user_id \n timestamp \n hex(sha256(body))}, sent with the
 * {@code X-Fal-Webhook-*} headers. Receivers check it with the public key from {@link #jwks()}.
 */
public final class WebhookSigner {

  public static final String REQUEST_ID = "X-Fal-Webhook-Request-Id";
  public static final String USER_ID = "X-Fal-Webhook-User-Id";
  public static final String TIMESTAMP = "X-Fal-Webhook-Timestamp";
  public static final String SIGNATURE = "X-Fal-Webhook-Signature";
  private static final String ALGORITHM = "Ed25519";
  private static final int RAW_KEY_BYTES = 32;

  private final KeyPair keys;

  private WebhookSigner(KeyPair keys) {
    this.keys = keys;
  }

  /** A signer with a fresh key, valid until the gateway stops. */
  public static WebhookSigner ephemeral() {
    try {
      return new WebhookSigner(KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
    }
  }

  /**
   * A signer with the Ed25519 private key in {@code pem}, a PKCS#8 PEM file
   * ({@code openssl genpkey -algorithm ed25519}).
   *
   * @throws IllegalArgumentException when the file is not readable or holds no Ed25519 private key
   */
  public static WebhookSigner fromPem(Path pem) {
    try {
      String text = Files.readString(pem, StandardCharsets.US_ASCII);
      String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      EdECPrivateKey key = (EdECPrivateKey) KeyFactory.getInstance(ALGORITHM)
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      return new WebhookSigner(pairOf(key.getBytes().orElseThrow()));
    } catch (IOException e) {
      throw new IllegalArgumentException("the webhook signing key " + pem + " (KILN_GATEWAY_WEBHOOK_KEY) cannot be read: "
          + e.getMessage(), e);
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("the webhook signing key " + pem + " (KILN_GATEWAY_WEBHOOK_KEY) must be an "
          + "Ed25519 private key in PKCS#8 PEM, as 'openssl genpkey -algorithm ed25519' writes it", e);
    }
  }

  /**
   * The key pair of a private key's 32-byte seed. The JDK has no call that derives an Ed25519
   * public key, but its generator turns the 32 random bytes it draws into the private key, so it
   * is handed the seed as its randomness.
   */
  private static KeyPair pairOf(byte[] seed) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
    generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
      }
    });
    KeyPair pair = generator.generateKeyPair();
    if (!Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), seed)) {
      throw new GeneralSecurityException("the Ed25519 public key could not be derived from the private key");
    }
    return pair;
  }

  /**
   * The headers that sign {@code body} for {@code requestId}'s delivery at {@code at}.
   *
   * @param userId who the request belongs to: the id of the key that submitted it
   */
  public Map<String, String> headers(String requestId, String userId, Instant at, byte[] body) {
    String timestamp = Long.toString(at.getEpochSecond());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(REQUEST_ID, requestId);
    headers.put(USER_ID, userId);
    headers.put(TIMESTAMP, timestamp);
    headers.put(SIGNATURE, HexFormat.of().formatHex(sign(signedText(requestId, userId, timestamp, body))));
    return headers;
  }

  /** The text a signature covers. */
  static byte[] signedText(String requestId, String userId, String timestamp, byte[] body) {
    try {
      String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
      return String.join("\n", requestId, userId, timestamp, digest).getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  /** The public key as a JWKS document: {@code {"keys":[{"kty":"OKP","crv":"Ed25519","x":...}]}}. */
  public ObjectNode jwks() {
    byte[] encoded = keys.getPublic().getEncoded();
    // The X.509 encoding ends with the raw 32-byte key.
    byte[] raw = Arrays.copyOfRange(encoded, encoded.length - RAW_KEY_BYTES, encoded.length);
    ObjectNode jwks = JsonNodeFactory.instance.objectNode();
    jwks.putArray("keys").addObject()
        .put("kty", "OKP")
        .put("crv", ALGORITHM)
        .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    return jwks;
  }

  private byte[] sign(byte[] text) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(keys.getPrivate());
      signature.update(text);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing a webhook failed", e);
    }
  }
}
