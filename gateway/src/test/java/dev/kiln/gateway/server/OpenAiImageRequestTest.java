package dev.kiln.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.server.OpenAiImageRequest.ResponseFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OpenAiImageRequestTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void becomesFalsTextToImageInput() throws Exception {
    OpenAiImageRequest request = parse("""
        {"model": "ml/sd", "prompt": "a red fox", "n": 2, "size": "640x480", "response_format": "b64_json"}""");

    assertThat(request.model().base()).isEqualTo("ml/sd");
    assertThat(request.format()).isEqualTo(ResponseFormat.B64_JSON);
    assertThat(request.falInput()).isEqualTo(JSON.readTree("""
        {"prompt": "a red fox", "num_images": 2, "image_size": {"width": 640, "height": 480}}"""));
  }

  @Test
  void defaultsToOneImageOf1024SquareAsAUrl() {
    OpenAiImageRequest request = parse("{\"model\": \"ml/sd\", \"prompt\": \"a fox\"}");

    assertThat(request.n()).isEqualTo(1);
    assertThat(request.width()).isEqualTo(1024);
    assertThat(request.height()).isEqualTo(1024);
    assertThat(request.format()).isEqualTo(ResponseFormat.URL);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"prompt\": \"p\"}                                           | model",
      "{\"model\": \"sd\", \"prompt\": \"p\"}                        | model",
      "{\"model\": \"ml/sd/x\", \"prompt\": \"p\"}                   | model",
      "{\"model\": \"ML/Sd\", \"prompt\": \"p\"}                     | model",
      "{\"model\": \"ml/sd\"}                                        | prompt",
      "{\"model\": \"ml/sd\", \"prompt\": \" \"}                     | prompt",
      "{\"model\": \"ml/sd\", \"prompt\": \"p\", \"n\": 0}           | n",
      "{\"model\": \"ml/sd\", \"prompt\": \"p\", \"n\": 11}          | n",
      "{\"model\": \"ml/sd\", \"prompt\": \"p\", \"n\": 1.5}         | n",
      "{\"model\": \"ml/sd\", \"prompt\": \"p\", \"size\": \"512\"}   | size",
      "{\"model\": \"ml/sd\", \"prompt\": \"p\", \"size\": \"0x512\"} | size",
      "{\"model\": \"ml/sd\", \"prompt\": \"p\", \"size\": \"9000x9\"} | size",
      "{\"model\": \"ml/sd\", \"prompt\": \"p\", \"response_format\": \"png\"} | response_format",
  })
  void refusesAWrongFieldNamingIt(String body, String param) throws Exception {
    OpenAiError error = catchThrowableOfType(OpenAiError.class, () -> parse(body));

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.body().path("error").path("param").asText()).isEqualTo(param);
    assertThat(error.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void refusesABodyThatIsNotJson() {
    OpenAiError error = catchThrowableOfType(OpenAiError.class, () -> parse("{model"));

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage()).contains("not valid JSON");
  }

  private static OpenAiImageRequest parse(String body) {
    return OpenAiImageRequest.parse(body.getBytes(StandardCharsets.UTF_8));
  }
}
