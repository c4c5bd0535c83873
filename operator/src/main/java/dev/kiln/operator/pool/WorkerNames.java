package dev.kiln.operator.pool;

import java.util.random.RandomGenerator;

/** Worker pod names: the pool's name and a random suffix, like a ReplicaSet's pods. */
final class WorkerNames {

  // Kubernetes' own suffix alphabet: no vowels (no words), no look-alikes.
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int SUFFIX_LENGTH = 5;
  // A pod name is at most 253 characters, but its label kiln.dev/worker at most 63.
  private static final int MAX_NAME_LENGTH = 63;

  private final RandomGenerator random;

  WorkerNames(RandomGenerator random) {
    this.random = random;
  }

  String next(String pool) {
    String prefix = pool.length() > MAX_NAME_LENGTH - SUFFIX_LENGTH - 1
        ? pool.substring(0, MAX_NAME_LENGTH - SUFFIX_LENGTH - 1)
        : pool;
    StringBuilder name = new StringBuilder(prefix).append('-');
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }
}
