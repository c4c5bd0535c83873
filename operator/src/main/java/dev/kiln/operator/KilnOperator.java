package dev.kiln.operator;

import dev.kiln.operator.model.ModelReconciler;
import dev.kiln.operator.pool.GpuPoolReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.time.Duration;

/**
 * Wires the controllers into a Java Operator SDK {@link Operator}. The client finds the cluster
 * the usual way: the pod's service account in-cluster, {@code KUBECONFIG} or ~/.kube/config outside.
 */
public final class KilnOperator {

  private KilnOperator() {}

  public static void main(String[] args) {
    OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
    Operator operator = start(new KubernetesClientBuilder().build(), settings);
    operator.installShutdownHook(Duration.ofSeconds(30));
  }

  /** Registers the controllers with {@code client} and starts them; the caller stops the operator (the client stays open). */
  public static Operator start(KubernetesClient client, OperatorSettings settings) {
    Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(new GpuPoolReconciler(settings.runtimeImage()), c -> watch(c, settings));
    operator.register(new ModelReconciler(), c -> watch(c, settings));
    operator.start();
    return operator;
  }

  private static void watch(ControllerConfigurationOverrider<?> controller, OperatorSettings settings) {
    if (settings.namespaces().isEmpty()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(settings.namespaces());
    }
  }
}
