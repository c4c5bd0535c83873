package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.crds.common.SecretReference;
import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelPhase;
import dev.kiln.crds.model.ModelSource;
import dev.kiln.crds.model.ModelTask;
import dev.kiln.crds.model.Residency;
import dev.kiln.crds.model.ResidencyPolicy;
import dev.kiln.operator.KilnOperator;
import dev.kiln.operator.OperatorFixture;
import dev.kiln.operator.OperatorSettings;
import dev.kiln.runtime.store.LoopbackModelServer;
import dev.kiln.runtime.testmodels.TestModels;
import dev.kiln.testing.junit.LocalKubernetes;
import dev.kiln.testing.junit.TestCluster;
import dev.kiln.local.node.FakeNode;
import dev.kiln.local.node.NodeAgent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Model whose file needs a bearer token, on a real control plane: the operator, as the
 * {@code kiln-operator} ServiceAccount, reads the token from the Model's credentials Secret, and the
 * real runtime downloads the file with it from a loopback HTTPS server that answers 401 without it.
 */
@LocalKubernetes(scheduler = true, controllerManager = true)
class ModelSourceCredentialsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String POOL = "private";
  private static final String MODEL = "linear";
  private static final String SECRET = "model-token";
  private static final String TOKEN = "model-download-token-7f3a";
  /** {@code y = x · [[2], [3]] + 1}: x = [1, 1] gives 6. */
  private static final byte[] LINEAR = TestModels.linear(new float[][] {{2}, {3}}, new float[] {1});

  private static TestCluster cluster;
  private static KubernetesClient admin;
  private static NodeAgent kubelet;
  private static PoolResidency view;
  private static LoopbackModelServer files;

  @TempDir
  static Path work;

  @RegisterExtension
  static final TestWatcher DUMP_ON_FAILURE = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      view.dump(kubelet);
      System.out.println("model server requests=" + files.requests() + " served=" + files.fullDownloads());
    }
  };

  @BeforeAll
  static void start(TestCluster testCluster) throws Exception {
    cluster = testCluster;
    admin = cluster.admin();
    files = cluster.closeAfterClass(new LoopbackModelServer(work));
    files.put("/models/linear.onnx", LINEAR);
    files.requireToken(TOKEN);
    kubelet = OperatorFixture.prepare(cluster, files.trustStoreJvmOptions(),
        FakeNode.gpu("creds-gpu-" + cluster.namespace(), 1));
    KilnOperator operator = KilnOperator.start(cluster.clientAs("kiln-operator"),
        new OperatorSettings(Set.of(cluster.namespace()), OperatorFixture.IMAGE));
    cluster.closeAfterClass(operator::stop);
    admin.resource(OperatorFixture.gpuPool(cluster.namespace(), POOL, 1, 1)).create();
    view = new PoolResidency(admin, cluster.namespace(), POOL);
  }

  @Test
  void theModelIsDownloadedWithItsSecretsTokenOnceTheSecretHoldsIt() throws Exception {
    admin.resource(model()).create();

    Model noSecret = awaitReadyReason("SecretNotFound");
    assertThat(readyMessage(noSecret)).contains("Secret " + SECRET).contains("namespace " + cluster.namespace())
        .contains("key \"token\"");
    assertThat(noSecret.getStatus().getPhase()).isEqualTo(ModelPhase.FAILED);
    assertThat(noSecret.getStatus().getResidentReplicas()).isZero();
    assertThat(view.residentWorkers(MODEL)).isEmpty();
    List<Event> failed = await("LoadFailed event").atMost(TIMEOUT)
        .until(() -> view.events(MODEL, ModelEvents.LOAD_FAILED), events -> !events.isEmpty());
    assertThat(failed.getFirst().getType()).isEqualTo("Warning");
    assertThat(failed.getFirst().getMessage()).contains("Secret " + SECRET);
    assertThat(files.requests()).as("no load is sent without the Secret").isZero();

    admin.resource(secret("password", "not-what-the-source-wants")).create();
    Model noKey = awaitReadyReason("KeyNotInSecret");
    assertThat(readyMessage(noKey)).contains("Secret " + SECRET).contains("no value under key \"token\"");
    assertThat(files.requests()).as("no load is sent without the key").isZero();

    admin.secrets().inNamespace(cluster.namespace()).withName(SECRET)
        .edit(secret -> new SecretBuilder(secret).addToData("token", base64(TOKEN + "\n")).build());
    List<Pod> workers = await(MODEL + " resident").atMost(TIMEOUT)
        .until(() -> view.residentWorkers(MODEL), pods -> pods.size() == 1);
    Model ready = await(MODEL + " Ready").atMost(TIMEOUT).until(() -> view.model(MODEL),
        m -> PoolResidency.condition(m, "Ready").map(c -> c.getStatus().equals("True")).orElse(false));

    assertThat(files.fullDownloads()).as("the file is served only to a request with the token").isEqualTo(1);
    assertThat(ready.getStatus().getPhase()).isEqualTo(ModelPhase.READY);
    assertThat(infer(workers.getFirst())).isEqualTo(6.0f);
    assertThat(admin.getKubernetesSerialization().asJson(ready)).doesNotContain(TOKEN);
    assertThat(view.events(MODEL, ModelEvents.LOAD_FAILED)).extracting(Event::getMessage)
        .noneMatch(message -> message.contains(TOKEN));
  }

  private static Model model() throws Exception {
    Model model = new Model();
    model.getMetadata().setName(MODEL);
    model.getMetadata().setNamespace(cluster.namespace());
    model.getSpec().setPool(POOL);
    model.getSpec().setTask(ModelTask.TENSOR);
    ModelSource source = new ModelSource();
    source.setUri(files.uri("/models/linear.onnx").toString());
    source.setSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(LINEAR)));
    SecretReference credentials = new SecretReference();
    credentials.setName(SECRET);
    source.setCredentialsSecret(credentials);
    model.getSpec().setSource(source);
    model.getSpec().setGpuMemory(new Quantity("1Gi"));
    Residency residency = new Residency();
    residency.setPolicy(ResidencyPolicy.HOT);
    residency.setMinReplicas(1);
    residency.setMaxReplicas(1);
    model.getSpec().setResidency(residency);
    return model;
  }

  private static Secret secret(String key, String value) {
    return new SecretBuilder().withNewMetadata().withName(SECRET).withNamespace(cluster.namespace()).endMetadata()
        .addToData(key, base64(value))
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static Model awaitReadyReason(String reason) {
    return await(MODEL + " " + reason).atMost(TIMEOUT).until(() -> view.model(MODEL),
        m -> PoolResidency.condition(m, "Ready").map(c -> reason.equals(c.getReason())).orElse(false));
  }

  private static String readyMessage(Model model) {
    return PoolResidency.condition(model, "Ready").map(Condition::getMessage).orElseThrow();
  }

  /** The model's output for x = [1, 1], through the worker's KServe v2 endpoint. */
  private static float infer(Pod worker) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + worker.getStatus().getPodIP() + ":8080/v2/models/" + MODEL + "/infer"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 1]}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode output = new ObjectMapper().readTree(response.body()).path("outputs").path(0);
    assertThat(output.path("name").asText()).isEqualTo("y");
    return output.path("data").path(0).floatValue();
  }
}
