package dev.kiln.gateway.webhook;

import java.net.URI;
import java.net.URISyntaxException;

/** Reads a caller's {@code fal_webhook}: an absolute http or https URL with a host. */
public final class WebhookUrl {

  private WebhookUrl() {}

  /** @throws IllegalArgumentException with a message for the caller when {@code text} is no such URL */
  public static URI parse(String text) {
    URI url;
    try {
      url = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("fal_webhook must be an absolute http or https URL, got '" + text + "': "
          + e.getReason(), e);
    }
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("fal_webhook must be an absolute http or https URL such as "
          + "https://example.com/hook, got '" + text + "'");
    }
    return url;
  }
}
