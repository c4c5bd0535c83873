package dev.kiln.gateway.webhook;

import java.net.InetAddress;

/**
 * A block of IP addresses in CIDR notation, such as {@code 10.1.0.0/16} or {@code fd00::/8}. A
 * single address is the block of just that address. An IPv4 block holds only IPv4 addresses and an
 * IPv6 block only IPv6 ones.
 */
record AddressBlock(InetAddress network, int prefixLength) {

  AddressBlock {
    int bits = bits(network);
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("the prefix length of " + network.getHostAddress() + " must be 0 to " + bits
          + ", got " + prefixLength);
    }
  }

  /**
   * Reads {@code 10.1.0.0/16}, {@code fd00::/8}, or a single address such as {@code 127.0.0.1}.
   *
   * @throws IllegalArgumentException when {@code text} is neither
   */
  static AddressBlock parse(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    InetAddress network = IpLiterals.ofEntry(addressText).orElseThrow(() -> new IllegalArgumentException(
        "'" + addressText + "' is not an IPv4 address in four decimal parts or an IPv6 address"));
    if (slash < 0) {
      return new AddressBlock(network, bits(network));
    }
    String length = text.substring(slash + 1);
    if (!length.matches("\\d{1,3}")) {
      throw new IllegalArgumentException("the prefix length after '/' must be a number, got '" + length + "'");
    }
    return new AddressBlock(network, Integer.parseInt(length));
  }

  /** Whether {@code address} has this block's first {@link #prefixLength} bits. */
  boolean contains(InetAddress address) {
    byte[] prefix = network.getAddress();
    byte[] candidate = address.getAddress();
    if (prefix.length != candidate.length) {
      return false;
    }
    int wholeBytes = prefixLength / 8;
    for (int i = 0; i < wholeBytes; i++) {
      if (prefix[i] != candidate[i]) {
        return false;
      }
    }
    int restBits = prefixLength % 8;
    if (restBits == 0) {
      return true;
    }
    int mask = (0xff << (8 - restBits)) & 0xff;
    return (prefix[wholeBytes] & mask) == (candidate[wholeBytes] & mask);
  }

  private static int bits(InetAddress address) {
    return address.getAddress().length * 8;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
