package dev.kiln.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.crds.KilnCrds;
import dev.kiln.crds.apikey.ApiKey;
import dev.kiln.gateway.auth.Refusal.Reason;
import dev.kiln.local.controlplane.ClusterManifests;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The watcher, with the chart's gateway RBAC, keeps the registry in step with ApiKeys and Secrets. */
@LocalKubernetes
class ApiKeyWatcherIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @BeforeAll
  static void prepare(TestCluster cluster) {
    ClusterManifests.installCrds(cluster.admin(), KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
    ClusterManifests.applyChartTemplate(cluster.admin(), "gateway-rbac.yaml", cluster.namespace());
  }

  @Test
  void followsSecretRotationAndKeyDeletion(TestCluster cluster) {
    String ns = cluster.namespace();
    cluster.admin().resource(secret(ns, "ci-key", "first-secret")).create();
    cluster.admin().resource(ApiKeys.apiKey(ns, "ci", "ci-key", "key")).create();
    KeyRateLimits limits = new KeyRateLimits(Clock.systemUTC());

    try (ApiKeyWatcher watcher = ApiKeyWatcher.start(cluster.clientAs("kiln-gateway"), Set.of(ns),
        registry -> limits.retainOnly(registry.rateLimits()))) {
      assertThat(watcher.isSynced()).isTrue();
      AuthenticatedKey key = awaitAccepted(watcher, "Key " + ns + "/ci:first-secret");
      assertThat(key.id()).isEqualTo(ns + "/ci");
      assertThat(limits.tryAcquire(key)).isInstanceOf(RateDecision.Allowed.class);

      cluster.admin().secrets().inNamespace(ns).withName("ci-key")
          .edit(s -> new SecretBuilder(s).withData(Map.of("key", base64("second-secret"))).build());
      awaitAccepted(watcher, "Key second-secret");
      assertReason(watcher.registry().authenticate("Key " + ns + "/ci:first-secret"), Reason.WRONG_SECRET);
      assertThat(limits.size()).as("the bucket survives a Secret change").isEqualTo(1);

      cluster.admin().resources(ApiKey.class).inNamespace(ns).withName("ci").delete();
      await("the deleted key refused").atMost(TIMEOUT).untilAsserted(() ->
          assertReason(watcher.registry().authenticate("Key " + ns + "/ci:second-secret"), Reason.UNKNOWN_KEY));
      assertReason(watcher.registry().authenticate("Key second-secret"), Reason.UNKNOWN_KEY);
      assertThat(limits.size()).as("the deleted key's bucket is dropped").isZero();
    }
  }

  @Test
  void keyBecomesUsableWhenItsSecretAppears(TestCluster cluster) {
    String ns = cluster.namespace();
    cluster.admin().resource(ApiKeys.apiKey(ns, "early", "early-key", "token")).create();

    try (ApiKeyWatcher watcher = ApiKeyWatcher.start(cluster.clientAs("kiln-gateway"), Set.of(ns), registry -> {})) {
      await("the key without its Secret known").atMost(TIMEOUT).untilAsserted(() ->
          assertReason(watcher.registry().authenticate("Key " + ns + "/early:late"), Reason.KEY_NOT_USABLE));

      cluster.admin().resource(new SecretBuilder().withNewMetadata().withName("early-key").withNamespace(ns).endMetadata()
          .withData(Map.of("token", base64("late"))).build()).create();

      awaitAccepted(watcher, "Key " + ns + "/early:late");
    }
  }

  private static AuthenticatedKey awaitAccepted(ApiKeyWatcher watcher, String authorization) {
    Authentication result = await("the key accepted").atMost(TIMEOUT)
        .until(() -> watcher.registry().authenticate(authorization), Authentication.Accepted.class::isInstance);
    return ((Authentication.Accepted) result).key();
  }

  private static void assertReason(Authentication result, Reason reason) {
    assertThat(result).isInstanceOfSatisfying(Authentication.Refused.class,
        refused -> assertThat(refused.refusal().reason()).isEqualTo(reason));
  }

  private static Secret secret(String namespace, String name, String value) {
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withData(Map.of("key", base64(value))).build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
