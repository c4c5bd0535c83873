package dev.kiln.runtime.task.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.runtime.task.ModelLoad;
import dev.kiln.runtime.task.ModelLoadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticTaskTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Duration> pauses = new ArrayList<>();
  private final SyntheticTask task = new SyntheticTask(pauses::add);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void loadTakesLoadTimeMillis() throws Exception {
    var model = task.load(load("{\"loadTimeMillis\": 45000, \"memoryBytes\": 1024}"));

    assertThat(pauses).containsExactly(Duration.ofSeconds(45));
    assertThat(model.memoryBytes()).hasValue(1024);
  }

  @Test
  void withoutLoadTimeTheLoadDoesNotPause() throws Exception {
    task.load(load("{\"serviceTimeMillis\": 20}"));
    task.load(load("{\"loadTimeMillis\": 0}"));
    task.load(load("{\"loadTimeMillis\": null}"));

    assertThat(pauses).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1.5", "\"30s\"", "true", "99999999999999999999"})
  void aLoadTimeThatIsNotAWholeNumberIsRefusedWithTheReason(String value) {
    assertThatThrownBy(() -> task.load(load("{\"loadTimeMillis\": " + value + "}")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("options.loadTimeMillis must be a whole number of 0 or more, got " + value);
    assertThat(pauses).isEmpty();
  }

  @Test
  void anInterruptedLoadFailsAndKeepsTheInterrupt() {
    var interrupted = new SyntheticTask(duration -> {
      throw new InterruptedException();
    });

    assertThatThrownBy(() -> interrupted.load(load("{\"loadTimeMillis\": 1000}")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("the load of big was interrupted");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  private static ModelLoad load(String options) throws Exception {
    JsonNode parsed = JSON.readTree(options);
    return new ModelLoad("big", null, null, null, null, parsed);
  }
}
