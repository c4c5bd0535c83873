package dev.kiln.gateway.fal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A fal endpoint id, {@code owner/app[/path...]}: in Kiln the owner is the Model's namespace, the
 * app its name, and the path an optional task variant passed to the model.
 */
public record EndpointId(String owner, String app, Optional<String> path) {

  /** What a Kubernetes name may be; anything else can never name a Model. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  public EndpointId {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(path, "path");
  }

  /**
   * The id in {@code segments} (the URL path split at {@code /}, without empty segments).
   *
   * @throws FalException 404 when there are fewer than two segments, the id is one of fal's
   *     workflow or ComfyUI ids, or the owner or app cannot be a Kubernetes name
   */
  public static EndpointId of(List<String> segments) {
    if (segments.size() < 2) {
      throw FalException.notFound("an endpoint id is owner/app[/path]: the Model's namespace and name, got /"
          + String.join("/", segments));
    }
    String owner = segments.get(0);
    if (owner.equals("workflows") || owner.equals("comfy")) {
      throw FalException.notFound("fal " + owner + " endpoints are not served by Kiln: call a Model as namespace/name");
    }
    String app = segments.get(1);
    if (!NAME.matcher(owner).matches() || !NAME.matcher(app).matches()) {
      throw FalException.notFound("no Model " + owner + "/" + app
          + ": an endpoint id is the Model's namespace and name, lower-case letters, digits, '-' and '.'");
    }
    Optional<String> path = segments.size() > 2
        ? Optional.of(String.join("/", segments.subList(2, segments.size())))
        : Optional.empty();
    return new EndpointId(owner, app, path);
  }

  /** {@code owner/app}, without the path: what status, result and cancel URLs use. */
  public String base() {
    return owner + "/" + app;
  }

  @Override
  public String toString() {
    return path.map(p -> base() + "/" + p).orElse(base());
  }
}
