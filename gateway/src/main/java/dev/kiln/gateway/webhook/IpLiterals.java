package dev.kiln.gateway.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/** Tells IP address literals from host names, without asking DNS. */
final class IpLiterals {

  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private IpLiterals() {}

  /**
   * The address a URL's host names literally, or empty for a host name. IPv6 comes in brackets;
   * its zone ({@code %eth0}) is dropped, as it does not change which block the address is in. IPv4
   * counts in every form the JDK reads as an address, {@code 2130706433} for 127.0.0.1 included,
   * since the HTTP client would connect to it.
   *
   * @throws IllegalArgumentException for a host in brackets that is no IPv6 address
   */
  static Optional<InetAddress> ofUrlHost(String host) {
    if (host.startsWith("[")) {
      String inside = host.substring(1, host.endsWith("]") ? host.length() - 1 : host.length());
      int zone = inside.indexOf('%');
      String address = zone < 0 ? inside : inside.substring(0, zone);
      return Optional.of(InetAddress.ofLiteral(address));
    }
    try {
      return Optional.of(Inet4Address.ofLiteral(host));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * An address as an allow-list spells it: IPv4 in four decimal parts, or IPv6 without brackets or
   * zone. The short IPv4 forms are not taken there, as {@code 10.1} is more likely a mistake.
   */
  static Optional<InetAddress> ofEntry(String text) {
    if (!DOTTED_QUAD.matcher(text).matches() && !(text.contains(":") && !text.contains("%") && !text.contains("["))) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.ofLiteral(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
