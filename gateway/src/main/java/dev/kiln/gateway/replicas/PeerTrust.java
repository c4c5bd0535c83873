package dev.kiln.gateway.replicas;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for calls between replicas. Peers are reached by pod IP while their certificate names the
 * Service, so the host name cannot be checked; instead a peer must present a chain that leads to
 * a certificate of this replica's own chain file (all replicas mount the same Secret), and nothing
 * else is trusted.
 */
public final class PeerTrust {

  private PeerTrust() {}

  /** A client context trusting only the certificates in the PEM file {@code chain}. */
  public static SSLContext fromOwnChain(Path chain) {
    try (InputStream in = Files.newInputStream(chain)) {
      List<? extends Certificate> certificates = List.copyOf(
          CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + chain + ": KILN_GATEWAY_TLS_CERT must name a PEM chain");
      }
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        anchors.setCertificateEntry("own-" + i, certificates.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new WithoutHostName((X509TrustManager) factory.getTrustManagers()[0])},
          null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the certificate chain " + chain + ": " + e.getMessage(), e);
    }
  }

  /** Checks the chain, not the name: an extended trust manager, so the TLS engine does not add a host name check. */
  private static final class WithoutHostName extends X509ExtendedTrustManager {

    private final X509TrustManager chains;

    WithoutHostName(X509TrustManager chains) {
      this.chains = chains;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      chains.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      chains.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      chains.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("peer calls are client-side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("peer calls are client-side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("peer calls are client-side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return chains.getAcceptedIssuers();
    }
  }
}
