package dev.kiln.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressBlockTest {

  @Test
  void aBlockHoldsExactlyTheAddressesWithItsPrefix() {
    AddressBlock block = AddressBlock.parse("172.16.0.0/12");

    assertThat(block.contains(address("172.16.0.0"))).isTrue();
    assertThat(block.contains(address("172.31.255.255"))).isTrue();
    assertThat(block.contains(address("172.15.255.255"))).isFalse();
    assertThat(block.contains(address("172.32.0.0"))).isFalse();
  }

  @Test
  void prefixesCutInsideAByteCompareOnlyTheirBits() {
    AddressBlock cgnat = AddressBlock.parse("100.64.0.0/10");
    AddressBlock uniqueLocal = AddressBlock.parse("fc00::/7");

    assertThat(cgnat.contains(address("100.127.255.255"))).isTrue();
    assertThat(cgnat.contains(address("100.128.0.0"))).isFalse();
    assertThat(cgnat.contains(address("100.63.255.255"))).isFalse();
    assertThat(uniqueLocal.contains(address("fdff::1"))).isTrue();
    assertThat(uniqueLocal.contains(address("fe00::1"))).isFalse();
    assertThat(uniqueLocal.contains(address("fbff::1"))).isFalse();
  }

  @Test
  void aSingleAddressIsABlockOfOne() {
    AddressBlock one = AddressBlock.parse("::1");

    assertThat(one.prefixLength()).isEqualTo(128);
    assertThat(one.contains(address("::1"))).isTrue();
    assertThat(one.contains(address("::2"))).isFalse();
    assertThat(AddressBlock.parse("127.0.0.1").prefixLength()).isEqualTo(32);
  }

  @Test
  void aZeroLengthPrefixHoldsTheWholeFamilyAndNoOther() {
    AddressBlock everyIpv4 = AddressBlock.parse("0.0.0.0/0");

    assertThat(everyIpv4.contains(address("203.0.113.9"))).isTrue();
    assertThat(everyIpv4.contains(address("2001:db8::1"))).isFalse();
  }

  @Test
  void itIsWrittenInCidrNotation() {
    assertThat(AddressBlock.parse("10.1.0.0/16")).hasToString("10.1.0.0/16");
    assertThat(AddressBlock.parse("fd00::/8")).hasToString("fd00:0:0:0:0:0:0:0/8");
  }

  @Test
  void prefixesLongerThanTheAddressOrNotNumbersAreRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> AddressBlock.parse("10.0.0.0/33")).withMessageContaining("0 to 32");
    assertThatIllegalArgumentException().isThrownBy(() -> AddressBlock.parse("fd00::/129")).withMessageContaining("0 to 128");
    assertThatIllegalArgumentException().isThrownBy(() -> AddressBlock.parse("10.0.0.0/x")).withMessageContaining("'x'");
    assertThatIllegalArgumentException().isThrownBy(() -> AddressBlock.parse("10.1/16")).withMessageContaining("'10.1'");
  }

  private static InetAddress address(String literal) {
    return InetAddress.ofLiteral(literal);
  }
}
