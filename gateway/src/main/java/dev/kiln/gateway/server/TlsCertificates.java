package dev.kiln.gateway.server;

import dev.kiln.gateway.GatewaySettings;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;

/** The listeners' TLS from a PEM certificate chain and private key (e.g. a mounted Secret of type kubernetes.io/tls). */
public final class TlsCertificates {

  private TlsCertificates() {}

  public static Tls from(GatewaySettings.TlsFiles files) {
    Keys keys = Keys.builder()
        .pem(pem -> pem.key(Resource.create(files.privateKey())).certChain(Resource.create(files.certificateChain())))
        .build();
    return Tls.builder()
        .privateKey(keys.privateKey().orElseThrow(() -> new IllegalArgumentException(
            "no private key in " + files.privateKey() + ": KILN_GATEWAY_TLS_KEY must name a PEM private key")))
        .privateKeyCertChain(keys.certChain())
        .build();
  }
}
