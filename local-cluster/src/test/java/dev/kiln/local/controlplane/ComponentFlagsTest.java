package dev.kiln.local.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentFlagsTest {

  @TempDir
  Path work;

  @Test
  void moreApiServerFlagsComeAfterKilnsOwn() {
    List<String> flags = ComponentFlags.kubeApiserver(Path.of("/k8s/kube-apiserver"), ControlPlaneCredentials.create(work),
        work.resolve("certs"), 2379, 6443, List.of("--audit-log-path=" + work.resolve("audit.log"),
        "--audit-policy-file=" + work.resolve("policy.yaml")));

    assertThat(flags.getFirst()).isEqualTo("/k8s/kube-apiserver");
    assertThat(flags).contains("--secure-port=6443", "--etcd-servers=http://127.0.0.1:2379");
    assertThat(flags.subList(flags.size() - 2, flags.size()))
        .containsExactly("--audit-log-path=" + work.resolve("audit.log"), "--audit-policy-file=" + work.resolve("policy.yaml"));
  }
}
