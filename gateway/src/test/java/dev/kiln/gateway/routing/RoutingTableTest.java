package dev.kiln.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelSpec;
import dev.kiln.crds.model.ModelStatus;
import dev.kiln.crds.model.ModelTask;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

  private static final ModelKey RESNET = new ModelKey("ml", "resnet");

  @Test
  void routesToReadyPodsOfTheModelsPoolWhereItIsResidentAtTheStatusVersion() {
    RoutingTable table = RoutingTable.of(
        List.of(
            pod("w-2", p -> p.editStatus().withPodIP("10.1.0.2").endStatus()),
            pod("w-1", p -> p.editMetadata().addToAnnotations("kiln.dev/resident-models", "alpha=1,resnet=v1,sd=v9").endMetadata()),
            pod("w-old", p -> p.editMetadata().addToAnnotations("kiln.dev/resident-models", "resnet=v0").endMetadata())),
        List.of(model("resnet", "gpu", "v1", 4)));

    RoutableModel resnet = table.model(RESNET).orElseThrow();
    assertThat(resnet.workers()).containsExactly(new Worker("w-1", "uid-w-1", "10.1.0.1"), new Worker("w-2", "uid-w-2", "10.1.0.2"));
    assertThat(resnet.version()).contains("v1");
    assertThat(resnet.targetConcurrency()).isEqualTo(4);
  }

  @Test
  void leavesOutPodsThatCannotTakeRequests() {
    List<Pod> pods = List.of(
        pod("w-unready", p -> p.editStatus().editFirstCondition().withStatus("False").endCondition().endStatus()),
        pod("w-no-conditions", p -> p.editStatus().withConditions().endStatus()),
        pod("w-deleting", p -> p.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata()),
        pod("w-drain-requested", p -> p.editMetadata().addToAnnotations("kiln.dev/draining", "2026-01-01T00:00:00Z")
            .addToAnnotations("kiln.dev/drain-requested", "2026-01-01T00:00:01Z").endMetadata()),
        pod("w-no-ip", p -> p.editStatus().withPodIP(null).endStatus()),
        pod("w-other-pool", p -> p.editMetadata().addToLabels("kiln.dev/pool", "cpu").endMetadata()),
        pod("w-other-namespace", p -> p.editMetadata().withNamespace("elsewhere").endMetadata()),
        pod("w-not-kiln", p -> p.editMetadata().removeFromLabels("app.kubernetes.io/managed-by").endMetadata()),
        pod("w-not-resident", p -> p.editMetadata().withAnnotations(null).endMetadata()),
        pod("w-malformed", p -> p.editMetadata().addToAnnotations("kiln.dev/resident-models", "resnet,=v1,resnet=").endMetadata()));

    assertThat(RoutingTable.of(pods, List.of(model("resnet", "gpu", "v1", 1))).model(RESNET).orElseThrow().workers()).isEmpty();
  }

  @Test
  void aVersionStagedBesideTheOneServingIsRoutedOnceTheStatusNamesIt() {
    Pod staging = pod("w-1", p -> p.editMetadata().addToAnnotations("kiln.dev/staged-models", "resnet=v2").endMetadata());

    assertThat(RoutingTable.of(List.of(staging), List.of(model("resnet", "gpu", "v1", 1))).model(RESNET).orElseThrow()
        .workers()).as("the old version, serving there").extracting(Worker::name).containsExactly("w-1");
    assertThat(RoutingTable.of(List.of(staging), List.of(model("resnet", "gpu", "v2", 1))).model(RESNET).orElseThrow()
        .workers()).as("the new one, staged there").extracting(Worker::name).containsExactly("w-1");
    assertThat(RoutingTable.of(List.of(staging), List.of(model("resnet", "gpu", "v3", 1))).model(RESNET).orElseThrow()
        .workers()).isEmpty();
  }

  @Test
  void aDrainingWorkerServesUntilItsRuntimeIsAskedToDrain() {
    Pod draining = pod("w-1", p -> p.editMetadata().addToAnnotations("kiln.dev/draining", "2026-01-01T00:00:00Z")
        .endMetadata());

    assertThat(RoutingTable.of(List.of(draining), List.of(model("resnet", "gpu", "v1", 1))).model(RESNET).orElseThrow()
        .workers()).extracting(Worker::name).containsExactly("w-1");
  }

  @Test
  void knowsAModelTheOperatorHasNotVersionedYetButRoutesItNowhere() {
    RoutingTable table = RoutingTable.of(List.of(pod("w-1", p -> p)), List.of(model("resnet", "gpu", null, 1)));

    assertThat(table.model(RESNET)).hasValueSatisfying(m -> {
      assertThat(m.version()).isEmpty();
      assertThat(m.workers()).isEmpty();
    });
  }

  @Test
  void carriesTheModelsPricePerSecondAndZeroWithoutOne() {
    Model priced = model("resnet", "gpu", "v1", 1);
    priced.getSpec().setPricePerSecond("0.0012");

    assertThat(RoutingTable.of(List.of(), List.of(priced)).model(RESNET).orElseThrow().pricePerSecond())
        .isEqualByComparingTo("0.0012");
    assertThat(RoutingTable.of(List.of(), List.of(model("resnet", "gpu", "v1", 1))).model(RESNET).orElseThrow()
        .pricePerSecond()).isZero();
  }

  @Test
  void carriesTheModelsTaskWhenItHasOne() {
    Model textToImage = model("resnet", "gpu", "v1", 1);
    textToImage.getSpec().setTask(ModelTask.TEXT_TO_IMAGE);

    assertThat(RoutingTable.of(List.of(), List.of(textToImage)).model(RESNET).orElseThrow().task())
        .contains(ModelTask.TEXT_TO_IMAGE);
    assertThat(RoutingTable.of(List.of(), List.of(model("resnet", "gpu", "v1", 1))).model(RESNET).orElseThrow()
        .task()).isEmpty();
  }

  @Test
  void forgetsModelsBeingDeletedAndKnowsNoOthers() {
    Model deleting = model("resnet", "gpu", "v1", 1);
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");

    RoutingTable table = RoutingTable.of(List.of(pod("w-1", p -> p)), List.of(deleting));

    assertThat(table.model(RESNET)).isEmpty();
    assertThat(table.model(new ModelKey("ml", "unknown"))).isEmpty();
    assertThat(RoutingTable.EMPTY.models()).isEmpty();
  }

  private static Model model(String name, String pool, String version, int targetConcurrency) {
    var model = new Model();
    model.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName(name).build());
    var spec = new ModelSpec();
    spec.setPool(pool);
    spec.setTargetConcurrency(targetConcurrency);
    model.setSpec(spec);
    if (version != null) {
      var status = new ModelStatus();
      status.setVersion(version);
      model.setStatus(status);
    }
    return model;
  }

  /** A ready worker at 10.1.0.1 of pool gpu in namespace ml with resnet=v1 resident, changed by {@code edit}. */
  private static Pod pod(String name, UnaryOperator<PodBuilder> edit) {
    PodBuilder pod = new PodBuilder()
        .withNewMetadata()
          .withNamespace("ml").withName(name).withUid("uid-" + name)
          .addToLabels("kiln.dev/pool", "gpu").addToLabels("kiln.dev/worker", name)
          .addToLabels("app.kubernetes.io/managed-by", "kiln")
          .addToAnnotations("kiln.dev/resident-models", "resnet=v1")
        .endMetadata()
        .withNewStatus()
          .withPodIP("10.1.0.1")
          .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus();
    return edit.apply(pod).build();
  }
}
