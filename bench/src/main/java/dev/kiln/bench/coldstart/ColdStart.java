package dev.kiln.bench.coldstart;

/** What stands between {@code kubectl apply} of a Model and its first answer, one case of the benchmark. */
enum ColdStart {
  WARM_CACHED("(a) warm spare, model in the node cache"),
  WARM_DOWNLOAD("(b) warm spare, download from a local HTTPS server"),
  NO_SPARE("(c) no spare: pod start, runtime start, download, load"),
  BUSY_BURST("burst while every worker is busy (queue or scale-up)");

  private final String description;

  ColdStart(String description) {
    this.description = description;
  }

  String description() {
    return description;
  }

  /** A name part for the round's pool and model. */
  String slug() {
    return switch (this) {
      case WARM_CACHED -> "cached";
      case WARM_DOWNLOAD -> "download";
      case NO_SPARE -> "nospare";
      case BUSY_BURST -> "burst";
    };
  }
}
