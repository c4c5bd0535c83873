package dev.kiln.local.controlplane;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The command lines of the control-plane components, all bound to 127.0.0.1. */
final class ComponentFlags {

  static final String SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/16";
  static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

  private ComponentFlags() {}

  static List<String> etcd(Path binary, Path dataDirectory, int clientPort, int peerPort) {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    return List.of(binary.toString(),
        "--name=kiln-test",
        "--data-dir=" + dataDirectory,
        "--listen-client-urls=" + client,
        "--advertise-client-urls=" + client,
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=kiln-test=" + peer,
        // Test data is thrown away: skipping fsync makes etcd fast on slow CI disks.
        "--unsafe-no-fsync=true",
        "--log-level=warn");
  }

  /** @param moreFlags appended after Kiln's own, e.g. an audit log's */
  static List<String> kubeApiserver(Path binary, ControlPlaneCredentials credentials, Path certDirectory,
      int etcdPort, int securePort, List<String> moreFlags) {
    return Stream.concat(Stream.of(binary.toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + securePort,
        "--cert-dir=" + certDirectory,
        "--tls-cert-file=" + credentials.apiServerCertificate(),
        "--tls-private-key-file=" + credentials.apiServerKey(),
        "--client-ca-file=" + credentials.caCertificate(),
        "--authorization-mode=Node,RBAC",
        "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
        "--service-account-key-file=" + credentials.serviceAccountPublicKey(),
        "--service-account-signing-key-file=" + credentials.serviceAccountPrivateKey(),
        "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
        // No real endpoints exist for the kubernetes Service on a loopback-only control plane.
        "--endpoint-reconciler-type=none",
        "--allow-privileged=true",
        "--profiling=false"), moreFlags.stream()).toList();
  }

  static List<String> kubeScheduler(Path binary, Path kubeconfig, Path certDirectory, int securePort) {
    return controllerProcess(binary, kubeconfig, certDirectory, securePort, List.of());
  }

  static List<String> kubeControllerManager(Path binary, ControlPlaneCredentials credentials, Path kubeconfig,
      Path certDirectory, int securePort) {
    return controllerProcess(binary, kubeconfig, certDirectory, securePort, List.of(
        "--use-service-account-credentials=true",
        "--service-account-private-key-file=" + credentials.serviceAccountPrivateKey(),
        "--root-ca-file=" + credentials.caCertificate(),
        "--cluster-signing-cert-file=" + credentials.caCertificate(),
        "--cluster-signing-key-file=" + credentials.caKey(),
        "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE));
  }

  /** What the scheduler and the controller-manager share: their API access and their health endpoint. */
  private static List<String> controllerProcess(Path binary, Path kubeconfig, Path certDirectory, int securePort,
      List<String> specificFlags) {
    return Stream.concat(Stream.of(binary.toString(),
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=127.0.0.1",
        "--secure-port=" + securePort,
        "--cert-dir=" + certDirectory,
        "--leader-elect=false",
        "--profiling=false"), specificFlags.stream()).toList();
  }
}
