package dev.kiln.runtime.store;

import java.nio.file.Path;

/** Fetches one model into a cache directory from a process of its own: {@code CACHE URI SHA256}. */
public final class FetchModelMain {

  private FetchModelMain() {}

  public static void main(String[] args) throws Exception {
    ModelStore store = ModelStore.open(Path.of(args[0]), 1L << 30);
    System.out.println("fetching " + args[1]);
    try (CachedModel model = store.fetch(ModelLocation.of(args[1]).withSha256(args[2]))) {
      System.out.println("fetched " + model.path());
    }
  }
}
