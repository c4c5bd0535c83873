package dev.kiln.operator.residency;

import static dev.kiln.operator.residency.PlanFixtures.GIB;

import dev.kiln.operator.residency.ModelDemand.Policy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Random pools for the property tests, each reproducible from its seed. Sizes are whole GiB so
 * that ties in free memory, which the planner breaks by name, come up often. The current
 * residency never overcommits a worker, as a worker that has confirmed its models would not.
 *
 * <p>Plain seeded JUnit parameterized cases rather than a property-testing library: jqwik 1.10,
 * its current release, is built on JUnit Platform 1.x, while this build runs Platform 6. There is
 * no shrinking; a failing seed is rebuilt with {@link #generate(long)}.
 */
final class RandomPlanInputs {

  /** Cases per property. */
  static final int CASES = 1000;

  private RandomPlanInputs() {}

  static Stream<Long> seeds() {
    return LongStream.range(0, CASES).boxed();
  }

  static PlanInput generate(long seed) {
    var random = new Random(seed);
    long poolGib = 8L * (1 + random.nextInt(4));
    var models = new ArrayList<ModelDemand>();
    var measuredGib = new HashMap<String, Long>();
    int modelCount = random.nextInt(9);
    for (int i = 0; i < modelCount; i++) {
      String name = "model-" + (char) ('a' + i);
      long declaredGib = 1 + random.nextLong(poolGib + poolGib / 4);
      models.add(random.nextInt(10) < 4
          ? hot(random, name, declaredGib)
          : onDemand(random, name, declaredGib));
      measuredGib.put(name, random.nextInt(5) == 0 ? declaredGib + random.nextInt(3) : declaredGib);
    }
    var workers = new ArrayList<WorkerState>();
    int workerCount = random.nextInt(7);
    for (int i = 0; i < workerCount; i++) {
      long capacityGib = random.nextInt(5) == 0 ? poolGib - random.nextInt(4) : poolGib;
      workers.add(new WorkerState(
          "worker-" + (char) ('a' + i),
          capacityGib * GIB,
          random.nextInt(100) < 85,
          random.nextInt(100) < 15,
          residents(random, capacityGib, measuredGib)));
    }
    return new PlanInput(poolGib * GIB, workers, models);
  }

  /** The same pool with workers, models and each worker's residents in a random order. */
  static PlanInput shuffled(PlanInput input, long seed) {
    var random = new Random(seed);
    var workers = new ArrayList<WorkerState>();
    for (WorkerState worker : input.workers()) {
      var residents = new ArrayList<>(worker.residentModels().entrySet());
      Collections.shuffle(residents, random);
      var reordered = new LinkedHashMap<String, Long>();
      residents.forEach(entry -> reordered.put(entry.getKey(), entry.getValue()));
      workers.add(new WorkerState(worker.name(), worker.gpuMemoryBytes(), worker.ready(), worker.draining(), reordered));
    }
    Collections.shuffle(workers, random);
    var models = new ArrayList<>(input.models());
    Collections.shuffle(models, random);
    return new PlanInput(input.poolWorkerGpuMemoryBytes(), workers, models);
  }

  private static ModelDemand hot(Random random, String name, long declaredGib) {
    int min = 1 + random.nextInt(3);
    int max = min + random.nextInt(3);
    return new ModelDemand(name, declaredGib * GIB, Policy.HOT, min, max, random.nextInt(6), false);
  }

  private static ModelDemand onDemand(Random random, String name, long declaredGib) {
    int max = 1 + random.nextInt(4);
    return new ModelDemand(name, declaredGib * GIB, Policy.ON_DEMAND, 0, max, random.nextInt(6), random.nextInt(4) == 0);
  }

  /** Some of the models, and now and then one deleted since, packed while they fit. */
  private static Map<String, Long> residents(Random random, long capacityGib, Map<String, Long> measuredGib) {
    var candidates = new ArrayList<>(measuredGib.keySet().stream().sorted().toList());
    Collections.shuffle(candidates, random);
    var residents = new HashMap<String, Long>();
    long usedGib = 0;
    if (random.nextInt(10) == 0) {
      usedGib = 1 + random.nextInt((int) capacityGib);
      residents.put("deleted-model", usedGib * GIB);
    }
    for (String model : candidates) {
      long gib = measuredGib.get(model);
      if (random.nextBoolean() && usedGib + gib <= capacityGib) {
        residents.put(model, gib * GIB);
        usedGib += gib;
      }
    }
    return residents;
  }
}
