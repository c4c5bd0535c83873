package dev.kiln.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"0f2c9a7e-5b1d-4c3e-9f6a-2d8b7c1e4a50", "model-a/0f2c9a7e", "a/b/c/d", "image.png",
      "Run_2", "9"})
  void keysTheGatewayMakesAreAccepted(String key) {
    assertThat(ResultKeys.requireValid(key)).isEqualTo(key);
  }

  @Test
  void anEmptyKeyIsRefused() {
    assertRefused("", "must not be empty");
  }

  @Test
  void anAbsoluteKeyIsRefused() {
    assertRefused("/etc/passwd", "must be relative, not start with '/'");
  }

  @Test
  void aDotDotSegmentIsRefused() {
    assertRefused("a/../../etc", "must not have a '..' segment");
    assertRefused("..", "must not have a '..' segment");
  }

  @Test
  void aDotSegmentIsRefused() {
    assertRefused("a/./b", "must not have a '.' segment");
  }

  @Test
  void anEmptySegmentIsRefused() {
    assertRefused("a//b", "must not have an empty segment");
    assertRefused("a/", "must not have an empty segment");
  }

  @Test
  void aSegmentMustStartWithALetterOrDigit() {
    assertRefused("a/.hidden", "must start each segment with a letter or digit, not '.'");
    assertRefused("-rf", "must start each segment with a letter or digit, not '-'");
  }

  @Test
  void otherCharactersAreRefusedByName() {
    assertRefused("a\\b", "not '\\'");
    assertRefused("a b", "not ' '");
    assertRefused("a\u0000b", "not '\\u0000'");
  }

  @Test
  void aKeyLongerThanTheLimitIsRefused() {
    assertThat(ResultKeys.requireValid("a".repeat(ResultKeys.MAX_LENGTH))).hasSize(ResultKeys.MAX_LENGTH);
    assertThatThrownBy(() -> ResultKeys.requireValid("a".repeat(ResultKeys.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most " + ResultKeys.MAX_LENGTH + " characters");
  }

  private static void assertRefused(String key, String reason) {
    assertThatThrownBy(() -> ResultKeys.requireValid(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a result key ")
        .hasMessageContaining(reason);
  }
}
