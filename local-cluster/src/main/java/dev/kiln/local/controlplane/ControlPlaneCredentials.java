package dev.kiln.local.controlplane;

import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

/**
 * The certificates, keys and kubeconfigs of one local control plane, written under
 * {@code <work>/pki} and {@code <work>/kubeconfig}.
 */
final class ControlPlaneCredentials {

  static final String ADMIN_USER = "kiln-local-admin";

  private final ClusterPki pki;
  private final Path pkiDirectory;
  private final Path kubeconfigDirectory;
  private final ClusterPki.Credential admin;

  private ControlPlaneCredentials(ClusterPki pki, Path workDirectory) {
    this.pki = pki;
    this.pkiDirectory = workDirectory.resolve("pki");
    this.kubeconfigDirectory = workDirectory.resolve("kubeconfig");
    this.admin = pki.issueClient(ADMIN_USER, List.of("system:masters"));
  }

  static ControlPlaneCredentials create(Path workDirectory) {
    var credentials = new ControlPlaneCredentials(ClusterPki.create(), workDirectory);
    credentials.writeServerFiles();
    return credentials;
  }

  Path caCertificate() {
    return pkiDirectory.resolve("ca.crt");
  }

  Path caKey() {
    return pkiDirectory.resolve("ca.key");
  }

  Path apiServerCertificate() {
    return pkiDirectory.resolve("apiserver.crt");
  }

  Path apiServerKey() {
    return pkiDirectory.resolve("apiserver.key");
  }

  Path serviceAccountPublicKey() {
    return pkiDirectory.resolve("sa.pub");
  }

  Path serviceAccountPrivateKey() {
    return pkiDirectory.resolve("sa.key");
  }

  /** A fabric8 client configuration authenticated as a cluster admin ({@code system:masters}). */
  Config adminConfig(String serverUrl) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(serverUrl)
        .withCaCertData(base64(pki.caCertificatePem()))
        .withClientCertData(base64(admin.certificatePem()))
        .withClientKeyData(base64(admin.privateKeyPem()))
        .build();
  }

  /** Writes a kubeconfig for the admin, as a file a person can use with kubectl. */
  Path writeAdminKubeconfig(String serverUrl) {
    return writeKubeconfig(ADMIN_USER, admin, serverUrl);
  }

  /** Issues a client certificate for a control-plane component and writes its kubeconfig. */
  Path writeComponentKubeconfig(String user, String serverUrl) {
    return writeKubeconfig(user, pki.issueClient(user, List.of()), serverUrl);
  }

  private void writeServerFiles() {
    ClusterPki.Credential serving = pki.issueServing("kube-apiserver",
        List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local"),
        List.of("127.0.0.1", "10.96.0.1"));
    ClusterPki.Credential serviceAccount = ClusterPki.serviceAccountSigningKey();
    write(caCertificate(), pki.caCertificatePem());
    writeSecret(caKey(), pki.caPrivateKeyPem());
    write(apiServerCertificate(), serving.certificatePem());
    writeSecret(apiServerKey(), serving.privateKeyPem());
    write(serviceAccountPublicKey(), serviceAccount.certificatePem());
    writeSecret(serviceAccountPrivateKey(), serviceAccount.privateKeyPem());
  }

  private Path writeKubeconfig(String user, ClusterPki.Credential credential, String serverUrl) {
    var kubeconfig = new io.fabric8.kubernetes.api.model.ConfigBuilder()
        .withApiVersion("v1")
        .withKind("Config")
        .addToClusters(new NamedClusterBuilder().withName("kiln-test")
            .withNewCluster()
            .withServer(serverUrl)
            .withCertificateAuthorityData(base64(pki.caCertificatePem()))
            .endCluster()
            .build())
        .addToUsers(new NamedAuthInfoBuilder().withName(user)
            .withNewUser()
            .withClientCertificateData(base64(credential.certificatePem()))
            .withClientKeyData(base64(credential.privateKeyPem()))
            .endUser()
            .build())
        .addToContexts(new NamedContextBuilder().withName("kiln-test")
            .withNewContext().withCluster("kiln-test").withUser(user).endContext()
            .build())
        .withCurrentContext("kiln-test")
        .build();
    Path file = kubeconfigDirectory.resolve(user.replace(':', '-') + ".kubeconfig");
    writeSecret(file, Serialization.asYaml(kubeconfig));
    return file;
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeSecret(Path file, String content) {
    write(file, content);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
