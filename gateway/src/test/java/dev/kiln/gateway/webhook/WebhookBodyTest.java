package dev.kiln.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.queue.RequestError;
import org.junit.jupiter.api.Test;

class WebhookBodyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSuccessfulJsonOutputIsTheOkPayload() throws Exception {
    JsonNode body = JSON.readTree(WebhookBody.of(
        Completed.withResult("r-1", 200, "application/json", "{\"images\":[{\"url\":\"data:,x\"}],\"seed\":7}")));

    assertThat(body.get("request_id").asText()).isEqualTo("r-1");
    assertThat(body.get("gateway_request_id").asText()).isEqualTo("r-1");
    assertThat(body.get("status").asText()).isEqualTo("OK");
    assertThat(body.get("payload")).isEqualTo(JSON.readTree("{\"images\":[{\"url\":\"data:,x\"}],\"seed\":7}"));
    assertThat(body.has("error")).isFalse();
    assertThat(body.has("payload_error")).isFalse();
  }

  @Test
  void anOutputThatIsNotJsonIsNotEmbeddedAndSaysWhereToFetchIt() throws Exception {
    JsonNode body = JSON.readTree(WebhookBody.of(Completed.withResult("r-2", 200, "text/plain", "hello there")));

    assertThat(body.get("status").asText()).isEqualTo("OK");
    assertThat(body.get("payload").isNull()).isTrue();
    assertThat(body.get("payload_error").asText()).contains("response_url");
  }

  @Test
  void jsonFollowedByOtherTextIsNotJson() throws Exception {
    JsonNode body = JSON.readTree(WebhookBody.of(Completed.withResult("r-3", 200, "text/plain", "12 monkeys")));

    assertThat(body.get("payload").isNull()).isTrue();
    assertThat(body.has("payload_error")).isTrue();
  }

  @Test
  void aModelsErrorAnswerIsAnErrorWithItsStatusCodeAndBody() throws Exception {
    JsonNode body = JSON.readTree(WebhookBody.of(Completed.withResult("r-4", 422, "application/json",
        "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\"}]}")));

    assertThat(body.get("status").asText()).isEqualTo("ERROR");
    assertThat(body.get("error").asText()).isEqualTo("Invalid status code: 422");
    assertThat(body.get("payload").get("detail").get(0).get("msg").asText()).isEqualTo("field required");
  }

  @Test
  void aRequestTheGatewayFailedIsAnErrorWithItsTextAndFalsErrorBody() throws Exception {
    JsonNode body = JSON.readTree(WebhookBody.of(Completed.withError("r-5", RequestError.startDeadlinePassed())));

    assertThat(body.get("status").asText()).isEqualTo("ERROR");
    assertThat(body.get("error").asText()).isEqualTo(RequestError.startDeadlinePassed().message());
    assertThat(body.get("payload").get("detail").asText()).isEqualTo(RequestError.startDeadlinePassed().message());
    assertThat(body.get("payload").get("error_type").asText()).isEqualTo("request_timeout");
  }
}
