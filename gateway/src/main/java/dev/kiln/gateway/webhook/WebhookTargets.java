package dev.kiln.gateway.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether the gateway may POST a webhook to a caller's {@code fal_webhook} URL, so that a
 * caller cannot make the gateway call what only the gateway can reach (server-side request
 * forgery): the cloud metadata service, the pod's own ports, other services in the cluster.
 *
 * <p>A URL is refused when its host is an internal name ({@code localhost}, {@code *.svc},
 * {@code *.cluster.local}, {@code *.internal}, a single label), or when it is, or resolves to, any
 * internal address: loopback, unspecified, link-local (the metadata address 169.254.169.254
 * among them), private, unique-local, carrier-grade NAT, multicast, broadcast, reserved, or an
 * IPv6 form of one of those. One internal address among public ones is enough, as the client may
 * connect to any of them. The operator allows hosts by name or addresses by block in
 * {@value #ALLOW_VARIABLE}. Immutable and thread-safe.
 */
public final class WebhookTargets {

  public static final String ALLOW_VARIABLE = "KILN_GATEWAY_WEBHOOK_ALLOW";
  private static final String EXAMPLES = "entries are CIDR blocks (10.1.0.0/16, fd00::/8), addresses (127.0.0.1, ::1) "
      + "or host names (hooks.internal.example.com, *.corp.example.com)";
  private static final Resolver DNS = host -> List.of(InetAddress.getAllByName(host));

  private final List<AddressBlock> allowedBlocks;
  private final List<HostPattern> allowedHosts;
  private final Resolver resolver;

  private WebhookTargets(List<AddressBlock> allowedBlocks, List<HostPattern> allowedHosts, Resolver resolver) {
    this.allowedBlocks = List.copyOf(allowedBlocks);
    this.allowedHosts = List.copyOf(allowedHosts);
    this.resolver = resolver;
  }

  /** Looks up a host name's addresses; the JDK's resolver unless a test brings its own. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /** Whether a webhook URL may be called. */
  public sealed interface Verdict {

    /**
     * It may.
     *
     * @param addresses what the host resolved to, the addresses a delivery should connect to; the
     *     literal address for an IP host; empty when a name was not resolved
     */
    record Allowed(List<InetAddress> addresses) implements Verdict {
      public Allowed {
        addresses = List.copyOf(addresses);
      }
    }

    /** @param reason why not, for the caller and the operator */
    record Refused(String reason) implements Verdict {}
  }

  /**
   * Targets that public addresses and, beyond them, {@code entries} allow: CIDR blocks
   * ({@code 10.1.0.0/16}, {@code fd00::/8}), single addresses ({@code 127.0.0.1}, {@code ::1}) and
   * host names ({@code hooks.internal.example.com}, {@code *.corp.example.com}).
   *
   * @throws IllegalArgumentException naming the first entry that is none of these
   */
  public static WebhookTargets allowing(List<String> entries) {
    return parse(entries, "the webhook allow-list");
  }

  /**
   * Targets that {@value #ALLOW_VARIABLE} allows, a comma-separated list of the entries
   * {@link #allowing} takes; absent or empty, only public addresses are allowed.
   *
   * @throws IllegalArgumentException naming the variable and the first invalid entry
   */
  public static WebhookTargets fromEnvironment(Map<String, String> env) {
    String value = env.getOrDefault(ALLOW_VARIABLE, "");
    return parse(Arrays.stream(value.split(",")).map(String::trim).filter(entry -> !entry.isEmpty()).toList(),
        ALLOW_VARIABLE);
  }

  private static WebhookTargets parse(List<String> entries, String source) {
    List<AddressBlock> blocks = new ArrayList<>();
    List<HostPattern> hosts = new ArrayList<>();
    for (String entry : entries) {
      try {
        if (entry.contains("/") || IpLiterals.ofEntry(entry).isPresent() || entry.contains(":")) {
          blocks.add(AddressBlock.parse(entry));
        } else {
          hosts.add(HostPattern.parse(entry));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + " has an invalid entry '" + entry + "': " + e.getMessage() + "; "
            + EXAMPLES, e);
      }
    }
    return new WebhookTargets(blocks, hosts, DNS);
  }

  /** These targets, with host names looked up by {@code resolver}. */
  public WebhookTargets resolvingWith(Resolver resolver) {
    return new WebhookTargets(allowedBlocks, allowedHosts, resolver);
  }

  /**
   * Checks {@code url}'s host by name, then by every address it resolves to; for a delivery,
   * which should then connect only to the addresses allowed, so that the name cannot resolve
   * elsewhere in between.
   */
  public Verdict check(URI url) {
    return check(url, true);
  }

  /**
   * Checks {@code url}'s host by name, or by address when it is an IP literal, without asking DNS:
   * fast enough for the submit path. A host name that passes is {@code Allowed} with no addresses;
   * {@link #check} still judges where it resolves to.
   */
  public Verdict checkWithoutResolving(URI url) {
    return check(url, false);
  }

  private Verdict check(URI url, boolean resolve) {
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      return new Verdict.Refused("fal_webhook " + url + " has no host to send the webhook to");
    }
    Optional<InetAddress> literal;
    try {
      literal = IpLiterals.ofUrlHost(host);
    } catch (IllegalArgumentException e) {
      return new Verdict.Refused("fal_webhook host " + host + " is not an IPv6 address");
    }
    if (literal.isPresent()) {
      return checkLiteral(host, literal.get());
    }
    String name = HostPattern.normalized(host);
    boolean allowedByName = allowedHosts.stream().anyMatch(pattern -> pattern.matches(name));
    if (!allowedByName) {
      Optional<String> internal = InternalHostNames.kindOf(name);
      if (internal.isPresent()) {
        return refused("fal_webhook host " + host + " is " + internal.get(), "hosts");
      }
    }
    return resolve ? checkResolved(host, name, allowedByName) : new Verdict.Allowed(List.of());
  }

  private Verdict checkLiteral(String host, InetAddress address) {
    Optional<String> internal = internalKind(address);
    if (internal.isEmpty()) {
      return new Verdict.Allowed(List.of(address));
    }
    String shown = host.equals(address.getHostAddress()) ? "" : " (" + address.getHostAddress() + ")";
    return refused("fal_webhook host " + host + shown + " is " + internal.get(), "addresses");
  }

  private Verdict checkResolved(String host, String name, boolean allowedByName) {
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(name);
    } catch (UnknownHostException e) {
      addresses = List.of();
    }
    if (addresses.isEmpty()) {
      return new Verdict.Refused("fal_webhook host " + host + " does not resolve to any address");
    }
    if (!allowedByName) {
      for (InetAddress address : addresses) {
        Optional<String> internal = internalKind(address);
        if (internal.isPresent()) {
          return refused("fal_webhook host " + host + " resolves to " + address.getHostAddress() + ", "
              + internal.get(), "addresses");
        }
      }
    }
    return new Verdict.Allowed(addresses);
  }

  /** What {@code address} is when it is internal and no allowed block holds it or the IPv4 address it stands for. */
  private Optional<String> internalKind(InetAddress address) {
    Optional<InetAddress> ipv4 = EmbeddedIpv4.in(address).map(InetAddress.class::cast);
    boolean allowed = allowedBlocks.stream()
        .anyMatch(block -> block.contains(address) || ipv4.filter(block::contains).isPresent());
    return allowed ? Optional.empty() : InternalAddresses.kindOf(address);
  }

  private static Verdict refused(String what, String targets) {
    return new Verdict.Refused(what + "; the gateway does not send webhooks to internal " + targets + " unless "
        + ALLOW_VARIABLE + " lists them");
  }
}
