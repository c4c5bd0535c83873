package dev.kiln.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.crds.KilnCrds;
import dev.kiln.gateway.ClusterObjects;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.worker.ResidencyAnnotations;
import dev.kiln.local.controlplane.ClusterManifests;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The watcher against a real API server: worker pods and Models written as the operator and kubelet would. */
@LocalKubernetes
class RoutingTableWatcherIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static RoutingTableWatcher watcher;

  private final KubernetesClient admin;
  private final String namespace;

  RoutingTableWatcherIT(TestCluster cluster) {
    this.admin = cluster.admin();
    this.namespace = cluster.namespace();
  }

  @BeforeAll
  static void startWatcher(TestCluster cluster) {
    ClusterManifests.installCrds(cluster.admin(), KilnCrds.NAMES.stream().map(KilnCrds::yaml).toList());
    watcher = RoutingTableWatcher.start(cluster.admin(), Set.of(cluster.namespace()));
    await("routing table synced").atMost(WAIT).until(watcher::hasSynced);
  }

  @AfterAll
  static void stopWatcher() {
    watcher.close();
  }

  @Test
  void showsAWorkerOnlyWhileItIsReadyAndResident() {
    createModel("resnet", "v1");
    createPod("w-resnet", "resnet=v1");

    setReady("w-resnet", true);
    awaitWorkers("resnet", List.of("w-resnet"));

    setReady("w-resnet", false);
    awaitWorkers("resnet", List.of());

    setReady("w-resnet", true);
    awaitWorkers("resnet", List.of("w-resnet"));

    editPod("w-resnet", pod -> pod.editMetadata().removeFromAnnotations(ResidencyAnnotations.RESIDENT).endMetadata());
    awaitWorkers("resnet", List.of());
  }

  @Test
  void tellsListenersOfEachNewTable() {
    var latest = new AtomicReference<RoutingTable>();
    watcher.onChange(latest::set);
    createModel("embed", "v1");
    createPod("w-embed", "embed=v1");
    setReady("w-embed", true);

    await("listener saw w-embed").atMost(WAIT).untilAsserted(() ->
        assertThat(Optional.ofNullable(latest.get()).flatMap(table -> table.model(new ModelKey(namespace, "embed")))
            .map(RoutableModel::workers).orElse(List.of()))
            .extracting(Worker::name).containsExactly("w-embed"));
  }

  @Test
  void routesToTheVersionTheModelsStatusNames() {
    createModel("sd", "v1");
    createPod("w-sd-next", "sd=v2");
    setReady("w-sd-next", true);
    // Pod events arrive in order, so once the later pod shows, the earlier one was seen and left out.
    createPod("w-sd-current", "sd=v1");
    setReady("w-sd-current", true);
    awaitWorkers("sd", List.of("w-sd-current"));

    admin.resources(Model.class).inNamespace(namespace).withName("sd").editStatus(model -> {
      model.getStatus().setVersion("v2");
      return model;
    });
    awaitWorkers("sd", List.of("w-sd-next"));
  }

  @Test
  void dropsAWorkerOnceItIsBeingDeletedAndWhenItIsGone() {
    createModel("upscale", "v1");
    createPod("w-up-1", "upscale=v1");
    createPod("w-up-2", "upscale=v1");
    setReady("w-up-1", true);
    setReady("w-up-2", true);
    awaitWorkers("upscale", List.of("w-up-1", "w-up-2"));

    editPod("w-up-1", pod -> pod.editMetadata().addToFinalizers("kiln.dev/test-hold").endMetadata());
    admin.pods().inNamespace(namespace).withName("w-up-1").delete();
    awaitWorkers("upscale", List.of("w-up-2"));
    assertThat(admin.pods().inNamespace(namespace).withName("w-up-1").get().getMetadata().getDeletionTimestamp())
        .as("still there, terminating").isNotNull();

    admin.pods().inNamespace(namespace).withName("w-up-2").withGracePeriod(0).delete();
    awaitWorkers("upscale", List.of());
    editPod("w-up-1", pod -> pod.editMetadata().withFinalizers().endMetadata());
  }

  private void awaitWorkers(String model, List<String> names) {
    await(model + " routed to " + names).atMost(WAIT).untilAsserted(() ->
        assertThat(watcher.table().model(new ModelKey(namespace, model)))
            .hasValueSatisfying(m -> assertThat(m.workers()).extracting(Worker::name).containsExactlyElementsOf(names)));
  }

  private void createModel(String name, String version) {
    ClusterObjects.model(admin, namespace, name, "tensor", version);
  }

  private void createPod(String name, String resident) {
    ClusterObjects.workerPod(admin, namespace, name, resident);
  }

  private void setReady(String name, boolean ready) {
    ClusterObjects.setReady(admin, namespace, name, "10.9.0." + (name.hashCode() & 0x7f), ready);
  }

  private void editPod(String name, UnaryOperator<PodBuilder> edit) {
    admin.pods().inNamespace(namespace).withName(name).edit(pod -> edit.apply(new PodBuilder(pod)).build());
  }
}
