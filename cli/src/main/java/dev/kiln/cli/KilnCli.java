package dev.kiln.cli;

import java.nio.file.Files;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code kiln} command; the {@code kiln} script at the repository's root builds and runs it. */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "kiln 0.1.0",
    description = "Kiln: generative models on your own Kubernetes GPUs.", subcommands = DevCommand.class)
public final class KilnCli implements Runnable {

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    DevPaths paths = DevPaths.fromEnvironment(System.getenv());
    // Before any logger exists: the components log to a file, the console is for progress.
    System.setProperty("kiln.dev.log", paths.log().toString());
    System.setProperty("logback.configurationFile", "kiln-cli-logback.xml");
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(new CommandLine(new KilnCli())
        .setExecutionExceptionHandler((failure, command, parsed) -> {
          command.getErr().println("kiln: " + failure.getMessage()
              + (Files.exists(paths.log()) ? " (the components' log: " + paths.log() + ")" : ""));
          return 1;
        })
        .execute(args));
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command, e.g. kiln dev");
  }
}
