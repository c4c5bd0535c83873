package dev.kiln.local.controlplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and a serving certificate for loopback ({@code 127.0.0.1},
 * {@code localhost}) written as PEM files, for local servers that clients reach over https.
 *
 * @param certificateChain the serving certificate followed by the CA's
 * @param privateKey the serving certificate's key, PKCS#8
 * @param certificateAuthority the CA certificate, for clients to trust
 */
public record LocalCertificates(Path certificateChain, Path privateKey, Path certificateAuthority) {

  /** Issues new certificates into {@code directory}, replacing any there. */
  public static LocalCertificates issue(Path directory) {
    ClusterPki pki = ClusterPki.create();
    ClusterPki.Credential serving = pki.issueServing("localhost", List.of("localhost"), List.of("127.0.0.1"));
    LocalCertificates files = new LocalCertificates(directory.resolve("server.pem"), directory.resolve("server-key.pem"),
        directory.resolve("ca.pem"));
    try {
      Files.createDirectories(directory);
      Files.writeString(files.certificateChain(), serving.certificatePem() + pki.caCertificatePem());
      Files.writeString(files.privateKey(), serving.privateKeyPem());
      Files.writeString(files.certificateAuthority(), pki.caCertificatePem());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates to " + directory, e);
    }
    return files;
  }

  /** A client TLS context that trusts only {@link #certificateAuthority} (host names checked as usual). */
  public SSLContext clientContext() {
    return trustingOnly(certificateAuthority);
  }

  /** A client TLS context that trusts only the PEM CA certificate in {@code certificateAuthority}. */
  public static SSLContext trustingOnly(Path certificateAuthority) {
    try (InputStream in = Files.newInputStream(certificateAuthority)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot trust the CA certificate " + certificateAuthority + ": " + e.getMessage(),
          e);
    }
  }
}
