package dev.kiln.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalKubernetesExtensionTest {

  static class AVeryLongTestClassNameThatKeepsGoingWellPastTheLimitOfWhatFitsIT {}

  @Test
  void namespaceIsAValidDnsLabelNamedAfterTheClass() {
    String namespace = LocalKubernetesExtension.namespaceFor(LocalKubernetesExtensionTest.class);
    assertThat(namespace).startsWith("local-kubernetes-extension-test-").matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    String longOne = LocalKubernetesExtension.namespaceFor(AVeryLongTestClassNameThatKeepsGoingWellPastTheLimitOfWhatFitsIT.class);
    assertThat(longOne.length()).isLessThanOrEqualTo(63);
    assertThat(longOne).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }
}
