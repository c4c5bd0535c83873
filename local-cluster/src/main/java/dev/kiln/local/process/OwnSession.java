package dev.kiln.local.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs a child process in a session of its own (util-linux {@code setsid}), out of the terminal's
 * process group: Ctrl-C then reaches only the JVM, which stops its children in order (workers
 * before the API server they report to) instead of every process dying at once. Where there is no
 * {@code setsid} the command runs as it is.
 */
public final class OwnSession {

  private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
      .map(Path::of).filter(Files::isExecutable).findFirst();

  private OwnSession() {}

  /**
   * {@code command}, to be started by this JVM. A child of the JVM is never a process group leader,
   * so {@code setsid} execs the command in place instead of forking: the process started is the
   * command itself.
   */
  public static List<String> command(List<String> command) {
    if (SETSID.isEmpty()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(command.size() + 1);
    wrapped.add(SETSID.get().toString());
    wrapped.addAll(command);
    return wrapped;
  }
}
