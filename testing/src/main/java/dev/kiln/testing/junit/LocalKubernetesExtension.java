package dev.kiln.testing.junit;

import dev.kiln.local.controlplane.ControlPlane;
import dev.kiln.local.controlplane.KubernetesBinaries;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the JVM-wide control plane on first use (closed when the test run ends), the scheduler
 * and controller-manager when a class asks for them, and a namespace per test class. When a test
 * fails it logs the end of every component's log.
 */
public final class LocalKubernetesExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver,
    TestWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(LocalKubernetesExtension.class);
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LocalKubernetesExtension.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public void beforeAll(ExtensionContext context) {
    ControlPlane controlPlane = controlPlane(context);
    LocalKubernetes settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), LocalKubernetes.class)
        .orElseThrow();
    if (settings.scheduler()) {
      controlPlane.startScheduler();
    }
    if (settings.controllerManager()) {
      controlPlane.startControllerManager();
    }
    String namespace = namespaceFor(context.getRequiredTestClass());
    controlPlane.adminClient().namespaces().resource(new NamespaceBuilder()
        .withNewMetadata()
        .withName(namespace)
        .addToLabels("kiln.dev/test-class", context.getRequiredTestClass().getSimpleName())
        .endMetadata()
        .build()).create();
    // Pods need their namespace's "default" ServiceAccount, which kube-controller-manager would create.
    controlPlane.adminClient().serviceAccounts().inNamespace(namespace)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
        .serverSideApply();
    context.getStore(STORE).put(TestCluster.class, new TestCluster(controlPlane, namespace));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    TestCluster cluster = context.getStore(STORE).remove(TestCluster.class, TestCluster.class);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestCluster.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestCluster cluster = context.getStore(STORE).get(TestCluster.class, TestCluster.class);
    if (cluster == null) {
      throw new IllegalStateException("the local control plane is set up in @BeforeAll: take a TestCluster "
          + "in @BeforeAll, test methods or later, not in a static initializer");
    }
    return parameter.getParameter().getType() == TestCluster.class ? cluster : cluster.admin();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    ControlPlane controlPlane = context.getRoot().getStore(STORE).get(ControlPlane.class, ControlPlane.class);
    if (controlPlane != null) {
      LOG.warn("{} failed; control plane component logs:\n{}", context.getDisplayName(), controlPlane.diagnostics());
    }
  }

  /** One per test JVM, stored in the root context so JUnit closes it when the run ends. */
  private static ControlPlane controlPlane(ExtensionContext context) {
    return context.getRoot().getStore(STORE).computeIfAbsent(ControlPlane.class,
        type -> ControlPlane.start(KubernetesBinaries.locate(), workDirectory()), ControlPlane.class);
  }

  /**
   * Under {@code kiln.testing.workdir} when set (the build sets it to {@code target/control-plane},
   * so logs outlive a failed run), otherwise a temporary directory.
   */
  private static Path workDirectory() {
    try {
      String configured = System.getProperty("kiln.testing.workdir");
      if (configured == null || configured.isBlank()) {
        return Files.createTempDirectory("kiln-control-plane-");
      }
      String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
          + "-" + ProcessHandle.current().pid();
      return Files.createDirectories(Path.of(configured, run));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String namespaceFor(Class<?> testClass) {
    String slug = testClass.getSimpleName()
        .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9-]", "-");
    if (slug.length() > 50) {
      slug = slug.substring(0, 50);
    }
    return slug.replaceAll("-+$", "") + "-" + Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36), 36);
  }
}
