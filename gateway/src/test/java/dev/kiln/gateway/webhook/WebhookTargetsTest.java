package dev.kiln.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.kiln.gateway.webhook.WebhookTargets.Verdict;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

  private static final List<String> INTERNAL_SAMPLES = List.of(
      "0.0.0.0", "0.1.2.3", "10.0.0.0", "10.255.255.255", "100.64.0.0", "100.127.255.255", "100.100.100.200",
      "127.0.0.1", "127.255.255.254", "169.254.0.1", "169.254.169.254", "172.16.0.0", "172.31.255.255",
      "192.0.0.192", "192.168.0.1", "192.168.255.255", "224.0.0.1", "239.255.255.255", "240.0.0.1",
      "255.255.255.255", "::", "::1", "fe80::1", "febf:ffff::1", "fec0::1", "fc00::1", "fd00:ec2::254",
      "fd12:3456::1", "ff02::1", "::127.0.0.1", "64:ff9b::a00:1", "2002:c0a8:101::1");
  private static final List<String> PUBLIC_SAMPLES = List.of(
      "1.0.0.0", "8.8.8.8", "9.255.255.255", "11.0.0.0", "93.184.215.14", "100.63.255.255", "100.128.0.0",
      "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
      "192.167.255.255", "192.169.0.0", "223.255.255.255", "2606:4700::1111", "2001:4860:4860::8888",
      "::8.8.8.8", "64:ff9b::808:808", "2002:808:808::1");

  private final StaticResolver dns = new StaticResolver();
  private final WebhookTargets publicOnly = WebhookTargets.allowing(List.of()).resolvingWith(dns);

  @Test
  void aPublicHostIsAllowedWithTheAddressesItResolvesTo() {
    dns.with("hooks.example.com", "93.184.215.14", "2606:4700::1111");

    assertThat(publicOnly.check(url("https://hooks.example.com/fal"))).isEqualTo(
        new Verdict.Allowed(List.of(address("93.184.215.14"), address("2606:4700::1111"))));
    assertThat(dns.asked).containsExactly("hooks.example.com");
  }

  @Test
  void theCloudMetadataAddressIsRefusedAndNamedAsSuch() {
    dns.with("metadata.example.com", "169.254.169.254");

    assertThat(publicOnly.check(url("http://metadata.example.com/computeMetadata/v1/"))).isEqualTo(new Verdict.Refused(
        "fal_webhook host metadata.example.com resolves to 169.254.169.254, a link-local/cloud metadata address; the "
            + "gateway does not send webhooks to internal addresses unless KILN_GATEWAY_WEBHOOK_ALLOW lists them"));
    assertThat(reason(publicOnly.check(url("http://169.254.169.254/latest/meta-data/")))).contains("metadata");
    assertThat(reason(publicOnly.check(url("http://[fd00:ec2::254]/latest/meta-data/")))).contains("metadata");
  }

  @Test
  void everyInternalSampleIsRefusedAsALiteralAndAsWhatANameResolvesTo() {
    for (String sample : INTERNAL_SAMPLES) {
      InetAddress address = address(sample);
      dns.with("sample.example.com", address);

      assertThat(publicOnly.check(url("http://" + host(address) + ":8080/hook"))).as(sample)
          .isInstanceOf(Verdict.Refused.class);
      assertThat(publicOnly.checkWithoutResolving(url("http://" + host(address) + "/hook"))).as(sample)
          .isInstanceOf(Verdict.Refused.class);
      assertThat(reason(publicOnly.check(url("https://sample.example.com/hook")))).as(sample)
          .contains("resolves to " + address.getHostAddress()).contains(WebhookTargets.ALLOW_VARIABLE);
    }
  }

  @Test
  void everyPublicSampleIsAllowedAsALiteralAndAsWhatANameResolvesTo() {
    for (String sample : PUBLIC_SAMPLES) {
      InetAddress address = address(sample);
      dns.with("sample.example.com", address);

      assertThat(publicOnly.check(url("http://" + host(address) + "/hook"))).as(sample)
          .isEqualTo(new Verdict.Allowed(List.of(address)));
      assertThat(publicOnly.check(url("https://sample.example.com/hook"))).as(sample)
          .isEqualTo(new Verdict.Allowed(List.of(address)));
    }
  }

  @Test
  void acrossEveryFirstOctetOnlyTheInternalOnesAreRefused() {
    IntStream.range(0, 256).forEach(octet -> {
      String sample = octet + ".1.2.3";
      boolean internal = octet == 0 || octet == 10 || octet == 127 || octet >= 224;

      assertThat(publicOnly.check(url("http://" + sample + "/"))).as(sample)
          .isInstanceOf(internal ? Verdict.Refused.class : Verdict.Allowed.class);
    });
  }

  @Test
  void anIpv4MappedIpv6AddressIsJudgedAsItsIpv4Address() {
    for (String sample : List.of("127.0.0.1", "10.1.2.3", "169.254.169.254", "93.184.215.14", "8.8.8.8")) {
      InetAddress mapped = ipv4Mapped(sample);
      dns.with("mapped.example.com", mapped);

      assertThat(publicOnly.check(url("https://mapped.example.com/")).getClass()).as(sample)
          .isEqualTo(publicOnly.check(url("http://" + sample + "/")).getClass());
    }
    dns.with("mapped.example.com", ipv4Mapped("127.0.0.1"));

    assertThat(reason(publicOnly.check(url("https://mapped.example.com/")))).contains("IPv6 form of 127.0.0.1");
    assertThat(reason(publicOnly.check(url("http://[::ffff:127.0.0.1]:8080/")))).contains("loopback");
  }

  @Test
  void aNameWithOnePublicAndOneInternalAddressIsRefused() {
    dns.with("rebind.example.com", "93.184.215.14", "10.0.0.5");
    dns.with("rebind-first.example.com", "169.254.169.254", "93.184.215.14");
    dns.with("rebind6.example.com", "2606:4700::1111", "::1");

    assertThat(reason(publicOnly.check(url("https://rebind.example.com/")))).contains("10.0.0.5", "private");
    assertThat(reason(publicOnly.check(url("https://rebind-first.example.com/")))).contains("metadata");
    assertThat(reason(publicOnly.check(url("https://rebind6.example.com/")))).contains("loopback");
  }

  @Test
  void hostsThatLeadInsideTheClusterAreRefusedByNameWithoutAskingDns() {
    List<String> internal = List.of("localhost", "LOCALHOST.", "api.localhost", "kiln-gateway",
        "kiln-gateway.kiln.svc", "kiln-gateway.kiln.svc.cluster.local", "db.other.cluster.local",
        "metadata.google.internal", "vault.corp.internal");
    for (String host : internal) {
      dns.with(HostPattern.normalized(host), "93.184.215.14");

      assertThat(reason(publicOnly.check(url("http://" + host + ":8080/hook")))).as(host)
          .startsWith("fal_webhook host " + host + " is ").contains(WebhookTargets.ALLOW_VARIABLE);
      assertThat(publicOnly.checkWithoutResolving(url("http://" + host + "/hook"))).as(host)
          .isInstanceOf(Verdict.Refused.class);
    }
    assertThat(dns.asked).isEmpty();
  }

  @Test
  void literalAddressesAreJudgedWithoutDnsInEveryForm() {
    assertThat(reason(publicOnly.check(url("http://[::1]:8080/")))).contains("[::1]", "loopback");
    assertThat(reason(publicOnly.check(url("http://[fe80::1%25eth0]/")))).contains("link-local");
    assertThat(reason(publicOnly.check(url("http://2130706433/")))).contains("(127.0.0.1)", "loopback");
    assertThat(publicOnly.check(url("http://[2606:4700::1111]/")))
        .isEqualTo(new Verdict.Allowed(List.of(address("2606:4700::1111"))));
    assertThat(dns.asked).isEmpty();
  }

  @Test
  void aHostThatDoesNotResolveIsRefused() {
    dns.with("empty.example.com", new InetAddress[0]);

    assertThat(reason(publicOnly.check(url("https://nowhere.example.com/")))).isEqualTo(
        "fal_webhook host nowhere.example.com does not resolve to any address");
    assertThat(reason(publicOnly.check(url("https://empty.example.com/")))).contains("does not resolve");
  }

  @Test
  void aUrlWithoutAHostIsRefused() {
    assertThat(reason(publicOnly.check(url("http://127.1/")))).contains("has no host");
    assertThat(reason(publicOnly.checkWithoutResolving(url("mailto:ops@example.com")))).contains("has no host");
  }

  @Test
  void withoutResolvingANameThatPassesIsAllowedWithNoAddressesAndDnsIsNotAsked() {
    assertThat(publicOnly.checkWithoutResolving(url("https://hooks.example.com/")))
        .isEqualTo(new Verdict.Allowed(List.of()));
    assertThat(publicOnly.checkWithoutResolving(url("https://93.184.215.14/")))
        .isEqualTo(new Verdict.Allowed(List.of(address("93.184.215.14"))));
    assertThat(publicOnly.checkWithoutResolving(url("https://10.0.0.1/"))).isInstanceOf(Verdict.Refused.class);
    assertThat(dns.asked).isEmpty();
  }

  @Test
  void anAllowedBlockLetsItsAddressesThroughAndNoOthers() {
    WebhookTargets targets = WebhookTargets.allowing(List.of("10.1.0.0/16", "fd00::/8")).resolvingWith(dns);
    dns.with("inside.example.com", "10.1.2.3", "fd00::5");
    dns.with("halfway.example.com", "10.1.0.1", "127.0.0.1");

    assertThat(targets.check(url("http://10.1.255.254/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://[::ffff:10.1.2.3]/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://inside.example.com/")))
        .isEqualTo(new Verdict.Allowed(List.of(address("10.1.2.3"), address("fd00::5"))));
    assertThat(targets.check(url("http://10.2.0.1/"))).isInstanceOf(Verdict.Refused.class);
    assertThat(targets.check(url("http://[fc00::1]/"))).isInstanceOf(Verdict.Refused.class);
    assertThat(reason(targets.check(url("http://halfway.example.com/")))).contains("127.0.0.1");
    dns.with("mapped.example.com", ipv4Mapped("10.1.9.9"));

    assertThat(targets.check(url("http://mapped.example.com/"))).isInstanceOf(Verdict.Allowed.class);
  }

  @Test
  void anAllowedAddressLetsOnlyItselfThrough() {
    WebhookTargets targets = WebhookTargets.allowing(List.of("127.0.0.1", "::1")).resolvingWith(dns);

    assertThat(targets.check(url("http://127.0.0.1:9000/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://[::1]:9000/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://127.0.0.2:9000/"))).isInstanceOf(Verdict.Refused.class);
  }

  @Test
  void anAllowedHostNameIsAllowedWhereverItResolvesAndOnlyThatName() {
    WebhookTargets targets = WebhookTargets.allowing(List.of("hooks.internal.example.com", "kiln-hooks"))
        .resolvingWith(dns);
    dns.with("hooks.internal.example.com", "10.0.0.7");
    dns.with("other.internal.example.com", "10.0.0.7");

    assertThat(targets.check(url("http://HOOKS.internal.example.com./x")))
        .isEqualTo(new Verdict.Allowed(List.of(address("10.0.0.7"))));
    assertThat(targets.checkWithoutResolving(url("http://kiln-hooks:8080/x"))).isEqualTo(new Verdict.Allowed(List.of()));
    assertThat(targets.check(url("http://other.internal.example.com/x"))).isInstanceOf(Verdict.Refused.class);
    assertThat(targets.check(url("http://a.hooks.internal.example.com/x"))).isInstanceOf(Verdict.Refused.class);
  }

  @Test
  void aWildcardAllowsNamesBelowItsDomainButNotTheDomainOrLookAlikes() {
    WebhookTargets targets = WebhookTargets.allowing(List.of("*.corp.example.com", "*.hooks.svc.cluster.local"))
        .resolvingWith(dns);
    dns.with("a.corp.example.com", "10.0.0.8");
    dns.with("a.b.corp.example.com", "10.0.0.9");
    dns.with("corp.example.com", "10.0.0.10");
    dns.with("evilcorp.example.com", "10.0.0.11");

    assertThat(targets.check(url("http://a.corp.example.com/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://a.b.corp.example.com/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://corp.example.com/"))).isInstanceOf(Verdict.Refused.class);
    assertThat(targets.check(url("http://evilcorp.example.com/"))).isInstanceOf(Verdict.Refused.class);
    assertThat(targets.checkWithoutResolving(url("http://receiver.hooks.svc.cluster.local/")))
        .isEqualTo(new Verdict.Allowed(List.of()));
    assertThat(targets.checkWithoutResolving(url("http://receiver.other.svc.cluster.local/")))
        .isInstanceOf(Verdict.Refused.class);
  }

  @Test
  void theEnvironmentListsEntriesSeparatedByCommasIgnoringBlanks() {
    WebhookTargets targets = WebhookTargets.fromEnvironment(
        Map.of(WebhookTargets.ALLOW_VARIABLE, " 10.1.0.0/16 , ,hooks.example.internal,, ::1 ")).resolvingWith(dns);
    dns.with("hooks.example.internal", "10.9.9.9");

    assertThat(targets.check(url("http://10.1.0.1/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://[::1]/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://hooks.example.internal/"))).isInstanceOf(Verdict.Allowed.class);
    assertThat(targets.check(url("http://10.2.0.1/"))).isInstanceOf(Verdict.Refused.class);
  }

  @Test
  void withoutTheVariableOrWithItEmptyOnlyPublicTargetsAreAllowed() {
    for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of(WebhookTargets.ALLOW_VARIABLE, " , "))) {
      WebhookTargets targets = WebhookTargets.fromEnvironment(env);

      assertThat(targets.check(url("http://127.0.0.1/"))).as(env.toString()).isInstanceOf(Verdict.Refused.class);
      assertThat(targets.check(url("http://93.184.215.14/"))).as(env.toString()).isInstanceOf(Verdict.Allowed.class);
    }
  }

  @Test
  void anInvalidEntryIsNamedWithTheVariableAndValidExamples() {
    for (String bad : List.of("10.1.0.0/33", "10.1.0.300", "10.1/8", "fd00::/129", "::1%eth0", "[::1]", "*", "*.",
        "a.*.example.com", "hooks_example.com", "-hooks.example.com", "hooks.example.com/")) {
      assertThatIllegalArgumentException().as(bad)
          .isThrownBy(() -> WebhookTargets.fromEnvironment(Map.of(WebhookTargets.ALLOW_VARIABLE, "10.0.0.0/8," + bad)))
          .withMessageStartingWith("KILN_GATEWAY_WEBHOOK_ALLOW has an invalid entry '" + bad + "': ")
          .withMessageContaining("10.1.0.0/16").withMessageContaining("*.corp.example.com");
    }
  }

  @Test
  void anInvalidEntryPassedDirectlyIsNamedToo() {
    assertThatIllegalArgumentException().isThrownBy(() -> WebhookTargets.allowing(List.of("10.0.0.0/40")))
        .withMessageStartingWith("the webhook allow-list has an invalid entry '10.0.0.0/40': ");
  }

  private static URI url(String text) {
    return URI.create(text);
  }

  private static InetAddress address(String literal) {
    return literal.startsWith("::ffff:") ? ipv4Mapped(literal.substring(7)) : InetAddress.ofLiteral(literal);
  }

  /** {@code ::ffff:a.b.c.d} as an IPv6 address; the JDK's own parsing turns it into the IPv4 one. */
  private static InetAddress ipv4Mapped(String ipv4) {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    System.arraycopy(InetAddress.ofLiteral(ipv4).getAddress(), 0, bytes, 12, 4);
    try {
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static String host(InetAddress address) {
    return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
  }

  private static String reason(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
    return ((Verdict.Refused) verdict).reason();
  }
}
