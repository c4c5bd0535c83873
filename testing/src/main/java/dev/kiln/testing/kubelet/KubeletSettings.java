package dev.kiln.testing.kubelet;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/** What every pod worker of one test kubelet shares. */
record KubeletSettings(KubernetesClient client, ContainerImages images, UnmappedImages unmappedImages,
    Duration probePeriod, RestartBackoff restartBackoff, Path podsDirectory) {}
