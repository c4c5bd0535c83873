package dev.kiln.testing.junit;

import dev.kiln.local.controlplane.ControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** A test class's view of the local control plane: its namespace and clients for it. */
public final class TestCluster implements AutoCloseable {

  private final ControlPlane controlPlane;
  private final String namespace;
  private final List<AutoCloseable> closeAfterClass = new ArrayList<>();

  TestCluster(ControlPlane controlPlane, String namespace) {
    this.controlPlane = controlPlane;
    this.namespace = namespace;
  }

  /** The namespace created for this test class, deleted after it. */
  public String namespace() {
    return namespace;
  }

  /** The cluster-admin client shared by all test classes. Do not close it. */
  public KubernetesClient admin() {
    return controlPlane.adminClient();
  }

  /** A client that impersonates a ServiceAccount of this test class's namespace. */
  public KubernetesClient clientAs(String serviceAccount) {
    return clientAs(namespace, serviceAccount);
  }

  /** A client that impersonates a ServiceAccount; RBAC decides what it may do. Closed after the class. */
  public synchronized KubernetesClient clientAs(String serviceAccountNamespace, String serviceAccount) {
    return closeAfterClass(ControlPlane.newClient(controlPlane.serviceAccountConfig(serviceAccountNamespace, serviceAccount)));
  }

  /** Closes {@code resource} (a node agent, say) when the test class ends, before its namespace goes. */
  public synchronized <T extends AutoCloseable> T closeAfterClass(T resource) {
    closeAfterClass.add(resource);
    return resource;
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public synchronized void close() throws Exception {
    Exception failure = null;
    for (AutoCloseable resource : closeAfterClass.reversed()) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    closeAfterClass.clear();
    admin().namespaces().withName(namespace).delete();
    if (failure != null) {
      throw failure;
    }
  }
}
