package dev.kiln.gateway.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReplicaIdTest {

  @Test
  void aRequestIdIsAUuidThatNamesTheReplicaThatMadeIt() {
    ReplicaId replica = ReplicaId.ofPod("kiln-gateway-7d9f8-abcde");

    String requestId = replica.newRequestId();

    assertThat(UUID.fromString(requestId).toString()).isEqualTo(requestId);
    assertThat(UUID.fromString(requestId).version()).isEqualTo(4);
    assertThat(ReplicaId.of(requestId)).contains(replica);
    assertThat(replica.newRequestId()).isNotEqualTo(requestId);
  }

  @Test
  void eachPodNameHasItsOwnStableMark() {
    assertThat(ReplicaId.ofPod("kiln-gateway-a")).isEqualTo(ReplicaId.ofPod("kiln-gateway-a"))
        .isNotEqualTo(ReplicaId.ofPod("kiln-gateway-b"));
  }

  @Test
  void idsOfAnotherShapeNameNoReplica() {
    assertThat(ReplicaId.of("no-such-id")).isEmpty();
    assertThat(ReplicaId.of("ABCDEF01-0000-4000-8000-000000000000")).isEmpty();
    assertThat(ReplicaId.of("abcdef01-0000-4000-8000-000000000000")).isEqualTo(Optional.of(new ReplicaId("abcdef01")));
  }

  @Test
  void aMarkIsEightHexDigits() {
    assertThatThrownBy(() -> new ReplicaId("xyz")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 lower-case hex digits");
  }
}
