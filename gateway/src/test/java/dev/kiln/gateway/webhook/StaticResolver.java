package dev.kiln.gateway.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fake DNS for the webhook target tests: fixed addresses per name, and a record of the names asked. */
final class StaticResolver implements WebhookTargets.Resolver {

  private final Map<String, List<InetAddress>> addresses = new HashMap<>();
  final List<String> asked = new ArrayList<>();

  /** Makes {@code host} resolve to {@code addresses}, each an IP literal. */
  StaticResolver with(String host, String... literals) {
    return with(host, Arrays.stream(literals).map(InetAddress::ofLiteral).toArray(InetAddress[]::new));
  }

  StaticResolver with(String host, InetAddress... resolved) {
    addresses.put(host, List.of(resolved));
    return this;
  }

  @Override
  public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
    asked.add(host);
    List<InetAddress> resolved = addresses.get(host);
    if (resolved == null) {
      throw new UnknownHostException(host);
    }
    return resolved;
  }
}
