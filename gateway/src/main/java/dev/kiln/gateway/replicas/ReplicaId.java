package dev.kiln.gateway.replicas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Which gateway replica accepted a queued request, written into the request's id so that any
 * replica behind the Service can send a status poll on to the one that holds the request. The
 * mark is the first 8 hex digits of a random (version 4) UUID, set to a hash of the replica's pod
 * name: ids stay UUIDs, name no address, and a replica reads the owner off an id without asking
 * anyone.
 *
 * @param mark 8 lower-case hex digits
 */
public record ReplicaId(String mark) {

  private static final Pattern MARK = Pattern.compile("[0-9a-f]{8}");
  private static final Pattern REQUEST_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public ReplicaId {
    if (!MARK.matcher(mark).matches()) {
      throw new IllegalArgumentException("a replica mark is 8 lower-case hex digits, got '" + mark + "'");
    }
  }

  /** The replica that runs as the pod {@code podName} (unique among the gateway's pods in its namespace). */
  public static ReplicaId ofPod(String podName) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(podName.getBytes(StandardCharsets.UTF_8));
      return new ReplicaId(HexFormat.of().formatHex(digest, 0, 4));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A replica outside a pod: alone, so its mark only has to differ from nothing. */
  public static ReplicaId standalone() {
    return new ReplicaId(UUID.randomUUID().toString().substring(0, 8));
  }

  /** A new request id that names this replica. */
  public String newRequestId() {
    return mark + UUID.randomUUID().toString().substring(8);
  }

  /** The replica mark of {@code requestId}, when it has the shape of an id a replica made. */
  public static Optional<ReplicaId> of(String requestId) {
    return REQUEST_ID.matcher(requestId).matches()
        ? Optional.of(new ReplicaId(requestId.substring(0, 8)))
        : Optional.empty();
  }
}
