package dev.kiln.gateway.webhook;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The addresses a webhook must not reach unless the operator allows them: loopback, unspecified,
 * link-local with the cloud metadata services, private, unique-local, carrier-grade NAT,
 * multicast, broadcast and reserved, in IPv4 and IPv6, and the IPv6 forms of those IPv4 ones.
 * Each comes with what it is, for the caller's refusal.
 */
final class InternalAddresses {

  private record Kind(AddressBlock block, String description) {}

  private static final String METADATA = "a link-local/cloud metadata address";

  /** The first block that holds an address names it, so single addresses precede their blocks. */
  private static final List<Kind> KINDS = List.of(
      kind("0.0.0.0/32", "the unspecified (any-local) address"),
      kind("0.0.0.0/8", "a this-network (0.0.0.0/8) address"),
      kind("10.0.0.0/8", "a private address"),
      kind("100.100.100.200/32", "a cloud metadata address (Alibaba Cloud)"),
      kind("100.64.0.0/10", "a carrier-grade NAT address"),
      kind("127.0.0.0/8", "a loopback address"),
      kind("169.254.169.254/32", METADATA),
      kind("169.254.0.0/16", "a link-local address"),
      kind("172.16.0.0/12", "a private address"),
      kind("192.0.0.192/32", "a cloud metadata address (Oracle Cloud)"),
      kind("192.0.0.0/24", "a special-purpose (192.0.0.0/24) address"),
      kind("192.168.0.0/16", "a private address"),
      kind("224.0.0.0/4", "a multicast address"),
      kind("255.255.255.255/32", "the broadcast address"),
      kind("240.0.0.0/4", "a reserved (240.0.0.0/4) address"),
      kind("::/128", "the unspecified (any-local) address"),
      kind("::1/128", "a loopback address"),
      kind("fe80::/10", "a link-local address"),
      kind("fec0::/10", "a site-local address"),
      kind("fd00:ec2::254/128", "a cloud metadata address (AWS IPv6)"),
      kind("fc00::/7", "a unique-local address"),
      kind("ff00::/8", "a multicast address"));

  private InternalAddresses() {}

  /** What {@code address} is when it is internal, such as "a loopback address"; empty when it is public. */
  static Optional<String> kindOf(InetAddress address) {
    Optional<String> own = KINDS.stream()
        .filter(kind -> kind.block().contains(address))
        .map(Kind::description)
        .findFirst();
    if (own.isPresent()) {
      return own;
    }
    return EmbeddedIpv4.in(address).flatMap(ipv4 -> kindOf(ipv4)
        .map(kind -> "an IPv6 form of " + ipv4.getHostAddress() + ", " + kind));
  }

  private static Kind kind(String block, String description) {
    return new Kind(AddressBlock.parse(block), description);
  }
}
