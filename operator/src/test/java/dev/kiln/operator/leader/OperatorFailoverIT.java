package dev.kiln.operator.leader;

import static dev.kiln.operator.pool.PoolTestbed.TIMEOUT;
import static dev.kiln.operator.pool.PoolTestbed.uids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.operator.pool.PoolTestbed;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Two operator replicas, each as the {@code kiln-operator} ServiceAccount with the chart's RBAC:
 * one reconciles, and when it stops the other takes over without replacing the workers.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
class OperatorFailoverIT {

  /** Long enough that a takeover well within it shows the stopped leader released the lease. */
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Duration TAKEOVER = Duration.ofSeconds(20);

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static PoolTestbed testbed;
  private static final AtomicBoolean LOST_LEADERSHIP = new AtomicBoolean();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final TestWatcher DUMP_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      testbed.dump();
      System.out.println("lease " + admin.getKubernetesSerialization().asJson(lease()));
    }
  };

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    testbed = PoolTestbed.start(cluster);
  }

  @Test
  void theStandbyTakesOverWhenTheLeaderStopsAndLeavesTheWorkersAlone() throws Exception {
    KilnOperator a = replica("kiln-operator-a");
    KilnOperator b = replica("kiln-operator-b");
    String leaderIdentity = await("a leader").atMost(TIMEOUT).until(OperatorFailoverIT::holder, h -> h != null);
    KilnOperator leader = leaderIdentity.equals("kiln-operator-a") ? a : b;
    KilnOperator standby = leader == a ? b : a;

    admin.resource(testbed.pool("alpha", 1, 2, 0, 4)).create();
    List<String> workers = uids(testbed.awaitReadyWorkers("alpha", 2));

    assertThat(get(leader, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(standby, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(standby, "/readyz").statusCode()).isEqualTo(200);
    String leaderMetrics = get(leader, "/metrics").body();
    assertThat(leaderMetrics).contains("kiln_operator_leader 1.0").contains("jvm_memory_used_bytes");
    assertThat(reconciliationsStarted(leaderMetrics)).isPositive();
    String standbyMetrics = get(standby, "/metrics").body();
    assertThat(standbyMetrics).contains("kiln_operator_leader 0.0");
    assertThat(reconciliationsStarted(standbyMetrics)).as("reconciliations by the standby").isZero();

    leader.stop();

    String standbyIdentity = leader == a ? "kiln-operator-b" : "kiln-operator-a";
    await("the standby holds the lease").atMost(TAKEOVER).until(OperatorFailoverIT::holder, standbyIdentity::equals);
    await("the new leader reconciles").atMost(TIMEOUT).until(() -> reconciliationsStarted(get(standby, "/metrics").body()) > 0);
    assertThat(get(standby, "/metrics").body()).contains("kiln_operator_leader 1.0");
    assertThat(get(standby, "/healthz").statusCode()).isEqualTo(200);
    assertThat(uids(testbed.workerPods("alpha"))).containsExactlyInAnyOrderElementsOf(workers);

    Pod victim = testbed.workerPods("alpha").getFirst();
    admin.resource(victim).delete();
    List<String> after = uids(await("the new leader replaces a deleted worker").atMost(TIMEOUT)
        .until(() -> testbed.readyWorkers("alpha"),
            pods -> pods.size() == 2 && !uids(pods).contains(victim.getMetadata().getUid())));
    assertThat(after).containsAll(workers.stream().filter(uid -> !uid.equals(victim.getMetadata().getUid())).toList());
    assertThat(LOST_LEADERSHIP).as("a replica lost the lease while running").isFalse();
  }

  private static KilnOperator replica(String identity) {
    LeaderElectionSettings election = new LeaderElectionSettings(
        cluster.namespace(), identity, LEASE, Duration.ofSeconds(30), Duration.ofSeconds(1));
    OperatorSettings settings = new OperatorSettings(Set.of(cluster.namespace()), PoolTestbed.IMAGE)
        .withLeaderElection(election);
    KilnOperator replica = KilnOperator.start(cluster.clientAs("kiln-operator"), settings, () -> LOST_LEADERSHIP.set(true));
    cluster.closeAfterClass(replica::stop);
    return replica;
  }

  private static Lease lease() {
    return admin.resources(Lease.class).inNamespace(cluster.namespace()).withName(LeaderElectionSettings.LEASE_NAME).get();
  }

  private static String holder() {
    Lease lease = lease();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The Java Operator SDK's count of reconciliations started, over every series. */
  private static double reconciliationsStarted(String metrics) {
    return metrics.lines()
        .filter(line -> line.startsWith("operator_sdk_reconciliations_started_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static HttpResponse<String> get(KilnOperator replica, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
