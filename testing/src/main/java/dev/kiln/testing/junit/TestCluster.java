package dev.kiln.testing.junit;

import dev.kiln.testing.controlplane.ControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** A test class's view of the local control plane: its namespace and clients for it. */
public final class TestCluster implements AutoCloseable {

  private final ControlPlane controlPlane;
  private final String namespace;
  private final List<KubernetesClient> clients = new ArrayList<>();

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
    var client = ControlPlane.newClient(controlPlane.serviceAccountConfig(serviceAccountNamespace, serviceAccount));
    clients.add(client);
    return client;
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  @Override
  public synchronized void close() {
    clients.forEach(KubernetesClient::close);
    clients.clear();
    admin().namespaces().withName(namespace).delete();
  }
}
