package dev.kiln.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The scenarios on Kind in Docker, with images built from this checkout and the chart installed by helm. Skipped, with
 * the reason, where there is no Docker engine.
 */
@EnabledIf(value = "dev.kiln.e2e.KindKilnCluster#dockerIsAvailable", disabledReason = "no Docker engine here: the Kind "
    + "scenarios build Kiln's images and run Kind in Docker. The workflow .github/workflows/e2e.yml runs them on every "
    + "push; LocalClusterE2EIT runs the same scenarios without Docker")
class KindE2EIT extends KilnScenarios {

  @Override
  KilnCluster startCluster(Path work) throws Exception {
    return KindKilnCluster.start(work);
  }
}
