package dev.kiln.operator;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Callers making one call after another each until stopped, e.g. synchronous runs at a gateway; every non-200 is kept. */
public final class RunLoad implements AutoCloseable {

  private final Callable<HttpResponse<String>> call;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger completed = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<Thread> callers = new ArrayList<>();

  private RunLoad(Callable<HttpResponse<String>> call) {
    this.call = call;
  }

  public static RunLoad start(int callers, Callable<HttpResponse<String>> call) {
    RunLoad load = new RunLoad(call);
    for (int i = 0; i < callers; i++) {
      load.callers.add(Thread.ofVirtual().start(load::callRepeatedly));
    }
    return load;
  }

  private void callRepeatedly() {
    while (running.get()) {
      try {
        HttpResponse<String> answer = call.call();
        if (answer.statusCode() != 200) {
          failures.add(answer.statusCode() + " " + answer.body());
        }
      } catch (Exception e) {
        failures.add(e.toString());
      }
      completed.incrementAndGet();
    }
  }

  public int completed() {
    return completed.get();
  }

  /** Each call that did not answer 200: its status and body, or the exception. */
  public List<String> failures() {
    return failures;
  }

  public void stop() throws InterruptedException {
    running.set(false);
    for (Thread caller : callers) {
      caller.join();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
