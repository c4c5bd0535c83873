package dev.kiln.local.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesBinariesTest {

  @TempDir
  Path home;

  @Test
  void missingBinariesSayWhichScriptProvisionsThem() {
    var properties = new Properties();
    properties.setProperty("user.home", home.toString());

    assertThatThrownBy(() -> KubernetesBinaries.locate(properties, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("hack/k8s-binaries.sh")
        .hasMessageContaining(home.resolve(".cache/kiln/k8s").toString())
        .hasMessageContaining("kube-apiserver");
  }

  @Test
  void explicitDirectoryWinsAndVersionComesFromThePom() throws Exception {
    for (String name : KubernetesBinaries.REQUIRED) {
      Files.createFile(home.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    KubernetesBinaries binaries = KubernetesBinaries.locate(new Properties(), Map.of("KILN_K8S_BINARIES", home.toString()));

    assertThat(binaries.kubeApiserver()).isEqualTo(home.resolve("kube-apiserver"));
    assertThat(binaries.version()).matches("v1\\.\\d+\\.\\d+");
  }
}
