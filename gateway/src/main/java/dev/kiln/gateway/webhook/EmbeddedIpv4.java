package dev.kiln.gateway.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The IPv4 address an IPv6 address stands for: IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible
 * {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} and 6to4 {@code 2002:aabb:ccdd::}. A connection
 * to one of these can reach the IPv4 address, so it is judged as that address too.
 */
final class EmbeddedIpv4 {

  private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

  private EmbeddedIpv4() {}

  static Optional<Inet4Address> in(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] bytes = address.getAddress();
    if (zeros(bytes, 0, 10) && (bytes[10] & bytes[11] & 0xff) == 0xff) {
      return Optional.of(ipv4(bytes, 12));
    }
    if (zeros(bytes, 0, 12) || Arrays.equals(bytes, 0, 12, NAT64_PREFIX, 0, 12)) {
      return Optional.of(ipv4(bytes, 12));
    }
    if (bytes[0] == 0x20 && bytes[1] == 0x02) {
      return Optional.of(ipv4(bytes, 2));
    }
    return Optional.empty();
  }

  private static boolean zeros(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Inet4Address ipv4(byte[] bytes, int from) {
    try {
      return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(bytes, from, from + 4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
