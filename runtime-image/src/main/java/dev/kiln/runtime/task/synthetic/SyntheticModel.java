package dev.kiln.runtime.task.synthetic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.task.InvalidInputException;
import dev.kiln.runtime.task.Invocation;
import dev.kiln.runtime.task.InvocationResult;
import dev.kiln.runtime.task.ServableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.OptionalLong;

/** Spends its service time on every request (standing in for GPU work) and echoes the JSON input. */
final class SyntheticModel implements ServableModel {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Duration serviceTime;
  private final long memoryBytes;

  SyntheticModel(Duration serviceTime, long memoryBytes) {
    this.serviceTime = serviceTime;
    this.memoryBytes = memoryBytes;
  }

  @Override
  public InvocationResult invoke(Invocation invocation) throws InvalidInputException, InterruptedException {
    JsonNode input = parse(invocation.body());
    long started = System.nanoTime();
    if (serviceTime.isPositive()) {
      Thread.sleep(serviceTime);
    }
    long busyNanos = System.nanoTime() - started;
    ObjectNode output = JsonNodeFactory.instance.objectNode();
    output.set("input", input);
    output.put("service_time_ms", serviceTime.toMillis());
    try {
      return new InvocationResult(MAPPER.writeValueAsBytes(output), "application/json", busyNanos);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(byte[] body) throws InvalidInputException {
    if (body.length == 0) {
      return JsonNodeFactory.instance.objectNode();
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed_json", "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ObjectNode metadata() {
    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
    metadata.put("platform", "synthetic");
    metadata.put("serviceTimeMillis", serviceTime.toMillis());
    metadata.put("memoryBytes", memoryBytes);
    return metadata;
  }

  @Override
  public OptionalLong memoryBytes() {
    return OptionalLong.of(memoryBytes);
  }

  @Override
  public void close() {}
}
