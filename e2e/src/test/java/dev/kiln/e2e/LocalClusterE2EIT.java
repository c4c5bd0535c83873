package dev.kiln.e2e;

import java.nio.file.Path;

/** The scenarios on the local control plane, with Kiln's operator and gateway as local processes. */
class LocalClusterE2EIT extends KilnScenarios {

  @Override
  KilnCluster startCluster(Path work) throws Exception {
    return LocalKilnCluster.start(work);
  }
}
