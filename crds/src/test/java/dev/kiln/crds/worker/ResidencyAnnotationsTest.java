package dev.kiln.crds.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResidencyAnnotationsTest {

  @Test
  void formatsEntriesInNameOrder() {
    assertThat(ResidencyAnnotations.format(Map.of("sd", "77aa01ff9e10", "resnet", "3f2a9c01b2d4")))
        .isEqualTo("resnet=3f2a9c01b2d4,sd=77aa01ff9e10");
  }

  @Test
  void noEntriesFormatAsNullWhichRemovesTheAnnotation() {
    assertThat(ResidencyAnnotations.format(Map.of())).isNull();
  }

  @Test
  void parsesWhatItFormats() {
    Map<String, String> entries = Map.of("a", "1", "b-2", "abc");
    assertThat(ResidencyAnnotations.parse(ResidencyAnnotations.format(entries))).isEqualTo(entries);
  }

  @Test
  void skipsBlanksAndMalformedEntriesAndTrimsSpaces() {
    assertThat(ResidencyAnnotations.parse(" a = 1 ,,=x,b,c=, d=2"))
        .containsExactly(Map.entry("a", "1"), Map.entry("d", "2"));
  }

  @Test
  void readsMissingAnnotationsAsEmpty() {
    assertThat(ResidencyAnnotations.read(null, ResidencyAnnotations.RESIDENT)).isEmpty();
    assertThat(ResidencyAnnotations.read(Map.of("other", "x"), ResidencyAnnotations.RESIDENT)).isEmpty();
    assertThat(ResidencyAnnotations.parse(null)).isEmpty();
  }
}
