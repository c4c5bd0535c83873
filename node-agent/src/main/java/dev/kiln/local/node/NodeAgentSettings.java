package dev.kiln.local.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/** What every pod worker of one node agent shares. */
record NodeAgentSettings(KubernetesClient client, ContainerImages images, UnmappedImages unmappedImages,
    StatusOnlyStandIn standIn, Duration probePeriod, RestartBackoff restartBackoff, Path podsDirectory) {}
