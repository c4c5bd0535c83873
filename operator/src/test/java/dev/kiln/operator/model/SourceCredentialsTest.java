package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.common.SecretReference;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.crds.status.ConditionReason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceCredentialsTest {

  @Test
  void theTokenKeyOfTheNamedSecretIsTheBearerToken() {
    SourceCredentials credentials = SourceCredentials.of(model("hf-token"), secret(Map.of("token", "s3cr3t")));

    assertThat(credentials).isEqualTo(new SourceCredentials.BearerToken("s3cr3t"));
    assertThat(credentials.bearerToken()).isEqualTo("s3cr3t");
    assertThat(credentials.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void theLineBreakOfATokenFileIsNotPartOfTheToken() {
    assertThat(SourceCredentials.of(model("hf-token"), secret(Map.of("token", "s3cr3t\n"))).bearerToken())
        .isEqualTo("s3cr3t");
  }

  @Test
  void aSourceWithoutASecretNeedsNoCredentials() {
    SourceCredentials credentials = SourceCredentials.of(model(null), null);

    assertThat(credentials).isEqualTo(new SourceCredentials.None());
    assertThat(credentials.bearerToken()).isNull();
  }

  @Test
  void aSyntheticModelFetchesNothingSoItsSecretIsNotNeeded() {
    Model model = model("hf-token");
    model.getSpec().setTask(ModelTask.SYNTHETIC);

    assertThat(SourceCredentials.of(model, null)).isEqualTo(new SourceCredentials.None());
  }

  @Test
  void aMissingSecretSaysWhichSecretToCreateAndWithWhichKey() {
    SourceCredentials credentials = SourceCredentials.of(model("hf-token"), null);

    assertThat(credentials).isInstanceOfSatisfying(SourceCredentials.Missing.class, missing -> {
      assertThat(missing.reason()).isEqualTo(ConditionReason.SECRET_NOT_FOUND);
      assertThat(missing.message()).isEqualTo("Secret hf-token named by spec.source.credentialsSecret does not exist "
          + "in namespace team-a: create it with the source's bearer token under key \"token\"");
    });
    assertThat(credentials.bearerToken()).isNull();
  }

  @Test
  void aSecretWithoutTheTokenKeySaysWhichKeyToAdd() {
    for (Secret secret : new Secret[] {secret(Map.of("password", "s3cr3t")), secret(Map.of("token", " \n")), secret(null)}) {
      assertThat(SourceCredentials.of(model("hf-token"), secret))
          .isEqualTo(new SourceCredentials.Missing(ConditionReason.KEY_NOT_IN_SECRET,
              "Secret hf-token in namespace team-a has no value under key \"token\": put the source's bearer token there"));
    }
  }

  private static Model model(String secretName) {
    Model model = new Model();
    model.getMetadata().setName("m");
    model.getMetadata().setNamespace("team-a");
    model.setSpec(ModelVersionTest.spec("https://m/a.onnx", 1));
    model.getSpec().setTask(ModelTask.TENSOR);
    if (secretName != null) {
      SecretReference reference = new SecretReference();
      reference.setName(secretName);
      model.getSpec().getSource().setCredentialsSecret(reference);
    }
    return model;
  }

  private static Secret secret(Map<String, String> values) {
    var builder = new SecretBuilder().withNewMetadata().withName("hf-token").withNamespace("team-a").endMetadata();
    if (values != null) {
      values.forEach((key, value) -> builder.addToData(key,
          Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    }
    return builder.build();
  }
}
