package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelMetricsTest {

  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ModelMetrics metrics = new ModelMetrics(registry);

  @Test
  void recordsAColdStartOncePerModel() {
    Model model = model("uid-1", null);
    metrics.warm(model, CREATED.plusSeconds(12));
    metrics.warm(model, CREATED.plusSeconds(30));
    Timer timer = coldStarts();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(12);
  }

  @Test
  void aModelLoadedBeforeARestartIsNotRecorded() {
    ModelStatus status = new ModelStatus();
    status.setLastLoadTime(CREATED.plusSeconds(5).toString());
    metrics.warm(model("uid-2", status), CREATED.plusSeconds(300));
    assertThat(registry.find("kiln.model.cold.start").timer()).isNull();
  }

  @Test
  void aModelWithNoReplicaRecordsAColdStartFromTheFirstRequestWaitingToItsNextWarmReplica() {
    ModelStatus loaded = new ModelStatus();
    loaded.setLastLoadTime(CREATED.plusSeconds(2).toString());
    Model model = model("uid-4", null);
    metrics.warm(model, CREATED.plusSeconds(2));
    model.setStatus(loaded);

    metrics.noReplica(model, false, CREATED.plusSeconds(600));
    metrics.noReplica(model, true, CREATED.plusSeconds(610));
    metrics.noReplica(model, true, CREATED.plusSeconds(612));
    metrics.warm(model, CREATED.plusSeconds(615));
    metrics.warm(model, CREATED.plusSeconds(620));

    Timer timer = coldStarts();
    assertThat(timer.count()).as("the creation and one demand episode").isEqualTo(2);
    assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(2 + 5);
    assertThat(timer.max(TimeUnit.SECONDS)).isEqualTo(5);
  }

  @Test
  void eachDemandEpisodeIsRecordedOnce() {
    ModelStatus loaded = new ModelStatus();
    loaded.setLastLoadTime(CREATED.toString());
    Model model = model("uid-5", loaded);

    metrics.noReplica(model, true, CREATED.plusSeconds(100));
    metrics.warm(model, CREATED.plusSeconds(103));
    metrics.noReplica(model, true, CREATED.plusSeconds(200));
    metrics.warm(model, CREATED.plusSeconds(201));

    assertThat(coldStarts().count()).isEqualTo(2);
    assertThat(coldStarts().totalTime(TimeUnit.SECONDS)).isEqualTo(3 + 1);
  }

  @Test
  void requestsThatGoAwayUnservedEndTheEpisodeUnrecorded() {
    ModelStatus loaded = new ModelStatus();
    loaded.setLastLoadTime(CREATED.toString());
    Model model = model("uid-6", loaded);

    metrics.noReplica(model, true, CREATED.plusSeconds(100));
    metrics.noReplica(model, false, CREATED.plusSeconds(150));
    metrics.warm(model, CREATED.plusSeconds(300));

    assertThat(registry.find("kiln.model.cold.start").timer()).isNull();
  }

  @Test
  void countsScaleChangesByDirection() {
    Model model = model("uid-3", null);
    metrics.scaled(model, new ScaleChange(1, 3, "r"));
    metrics.scaled(model, new ScaleChange(3, 4, "r"));
    metrics.scaled(model, new ScaleChange(4, 1, "r"));
    assertThat(registry.get("kiln.model.scale.events").tag("direction", "up").counter().count()).isEqualTo(2);
    assertThat(registry.get("kiln.model.scale.events").tag("direction", "down").counter().count()).isEqualTo(1);
  }

  private Timer coldStarts() {
    return registry.get("kiln.model.cold.start").tag("namespace", "ml").tag("model", "m").timer();
  }

  private static Model model(String uid, ModelStatus status) {
    Model model = new Model();
    model.getMetadata().setNamespace("ml");
    model.getMetadata().setName("m");
    model.getMetadata().setUid(uid);
    model.getMetadata().setCreationTimestamp(CREATED.toString());
    model.setStatus(status);
    return model;
  }
}
