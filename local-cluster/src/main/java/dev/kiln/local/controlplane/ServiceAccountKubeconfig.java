package dev.kiln.local.controlplane;

import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A kubeconfig that authenticates as a ServiceAccount with a bound token from the TokenRequest API,
 * as a pod's mounted token would: the API server sees that account as the user, so RBAC and the
 * audit log name it, not the admin.
 */
public final class ServiceAccountKubeconfig {

  private static final long TOKEN_SECONDS = 24 * 3600;

  private ServiceAccountKubeconfig() {}

  /** Writes the kubeconfig of {@code serviceAccount} in {@code namespace} to {@code file}, readable by its owner only. */
  public static Path write(ControlPlane controlPlane, String namespace, String serviceAccount, Path file) {
    String token = controlPlane.adminClient().serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(TOKEN_SECONDS).endSpec().build())
        .getStatus().getToken();
    var kubeconfig = new ConfigBuilder()
        .withApiVersion("v1")
        .withKind("Config")
        .addToClusters(new NamedClusterBuilder().withName("local").withNewCluster()
            .withServer(controlPlane.apiServerUrl())
            .withCertificateAuthorityData(controlPlane.adminConfig().getCaCertData())
            .endCluster().build())
        .addToUsers(new NamedAuthInfoBuilder().withName(serviceAccount).withNewUser().withToken(token).endUser().build())
        .addToContexts(new NamedContextBuilder().withName("local").withNewContext()
            .withCluster("local").withUser(serviceAccount).withNamespace(namespace).endContext().build())
        .withCurrentContext("local")
        .build();
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, Serialization.asYaml(kubeconfig));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
