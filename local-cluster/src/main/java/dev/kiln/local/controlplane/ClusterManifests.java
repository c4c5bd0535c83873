package dev.kiln.local.controlplane;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Puts what a chart or a CRD module ships onto a cluster, applied server-side. */
public final class ClusterManifests {

  private static final Duration ESTABLISHED_TIMEOUT = Duration.ofSeconds(30);

  private ClusterManifests() {}

  /**
   * Applies CRDs given as YAML documents and waits until each is established, so that its
   * resources can be created right away.
   */
  public static void installCrds(KubernetesClient admin, List<String> crdYamls) {
    List<String> names = crdYamls.stream().map(yaml -> {
      CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
          .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item();
      admin.resource(crd).forceConflicts().serverSideApply();
      return crd.getMetadata().getName();
    }).toList();
    for (String name : names) {
      await(name + " established").atMost(ESTABLISHED_TIMEOUT).until(() ->
          admin.apiextensions().v1().customResourceDefinitions().withName(name).get()
              .getStatus().getConditions().stream()
              .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")));
    }
  }

  /**
   * Applies one template of the Kiln chart ({@code helm/kiln/templates/<template>}) that uses no
   * value but {@code .Release.Namespace}, with {@code releaseNamespace} filled in. The chart is
   * found from the working directory: the repository's root ({@code kiln dev}) or one of its
   * modules (the tests).
   */
  public static void applyChartTemplate(KubernetesClient admin, String template, String releaseNamespace) {
    Path templates = Path.of("helm", "kiln", "templates");
    Path file = (Files.isDirectory(templates) ? templates : Path.of("..").resolve(templates)).resolve(template);
    String yaml;
    try {
      yaml = Files.readString(file).replace("{{ .Release.Namespace }}", releaseNamespace);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read chart template " + file.toAbsolutePath(), e);
    }
    for (HasMetadata resource : admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      admin.resource(resource).forceConflicts().serverSideApply();
    }
  }
}
