package dev.kiln.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.fal.FalException;
import dev.kiln.gateway.server.OpenAiImageRequest.ResponseFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiImageResponseTest {

  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
  private static final String FAL_OUTPUT = """
      {"images": [{"url": "data:image/png;base64,AAAA", "width": 8, "height": 8, "content_type": "image/png"},
                  {"url": "data:image/png;base64,BBBB", "width": 8, "height": 8, "content_type": "image/png"}]}""";

  @Test
  void givesTheImagesBase64ForB64Json() {
    ObjectNode response = OpenAiImageResponse.of(200, bytes(FAL_OUTPUT), ResponseFormat.B64_JSON, CREATED);

    assertThat(response.path("created").asLong()).isEqualTo(CREATED.getEpochSecond());
    assertThat(response.path("data")).hasSize(2);
    assertThat(response.path("data").get(0).path("b64_json").asText()).isEqualTo("AAAA");
    assertThat(response.path("data").get(1).path("b64_json").asText()).isEqualTo("BBBB");
  }

  @Test
  void givesTheDataUrlsForUrl() {
    ObjectNode response = OpenAiImageResponse.of(200, bytes(FAL_OUTPUT), ResponseFormat.URL, CREATED);

    assertThat(response.path("data").get(0).path("url").asText()).isEqualTo("data:image/png;base64,AAAA");
  }

  @Test
  void passesAModelErrorOnWithItsStatus() {
    OpenAiError error = catchThrowableOfType(OpenAiError.class, () -> OpenAiImageResponse.of(400,
        bytes("{\"error\": \"image_size too large\", \"code\": \"wrong_size\"}"), ResponseFormat.URL, CREATED));

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.body().path("error").path("message").asText()).isEqualTo("image_size too large");
    assertThat(error.body().path("error").path("code").asText()).isEqualTo("wrong_size");
    assertThat(error.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void refusesAnAnswerWithoutImagesAsABadGateway() {
    OpenAiError error = catchThrowableOfType(OpenAiError.class,
        () -> OpenAiImageResponse.of(200, bytes("{\"input\": {}}"), ResponseFormat.URL, CREATED));

    assertThat(error.status()).isEqualTo(502);
    assertThat(error.body().path("error").path("type").asText()).isEqualTo("server_error");
  }

  @Test
  void cannotGiveBase64OfAnImageThatIsOnlyALink() {
    OpenAiError error = catchThrowableOfType(OpenAiError.class, () -> OpenAiImageResponse.of(200,
        bytes("{\"images\": [{\"url\": \"https://cdn.example.com/a.png\"}]}"), ResponseFormat.B64_JSON, CREATED));

    assertThat(error.getMessage()).contains("response_format url");
  }

  @Test
  void mapsTheGatewaysRefusalsToOpenAiCodesKeepingRetryAfter() {
    OpenAiError limited = OpenAiError.of(FalException.tooManyRequests("over its rate limit", 3));

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers()).containsEntry("Retry-After", "3");
    assertThat(limited.body().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(OpenAiError.of(new FalException(401, "missing API key", Optional.empty(), Optional.empty())).body().path("error").path("code").asText()).isEqualTo("invalid_api_key");
  }

  @Test
  void readsABearerKeyAsTheGatewaysKeyScheme() {
    assertThat(OpenAiImagesApi.asKeyScheme("Bearer ml/k:secret")).isEqualTo("Key ml/k:secret");
    assertThat(OpenAiImagesApi.asKeyScheme("Key ml/k:secret")).isEqualTo("Key ml/k:secret");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
