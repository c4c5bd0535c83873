package dev.kiln.local.controlplane;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for one local control plane: it issues the API server's
 * serving certificate and client certificates whose subject carries the user and groups that
 * the API server authenticates (CN = user, O = groups).
 */
final class ClusterPki {

  private static final Duration VALIDITY = Duration.ofDays(7);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JcaX509ExtensionUtils EXTENSIONS = extensionUtils();

  /** A private key and its certificate, both PEM encoded. */
  record Credential(String certificatePem, String privateKeyPem) {}

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;

  private ClusterPki(KeyPair caKeys, X509Certificate caCertificate) {
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
  }

  static ClusterPki create() {
    KeyPair keys = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "kiln-local-ca").build();
    var builder = certificateBuilder(name, name, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      builder.addExtension(Extension.subjectKeyIdentifier, false, EXTENSIONS.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException e) {
      throw new UncheckedIOException(e);
    }
    return new ClusterPki(keys, sign(builder, keys.getPrivate()));
  }

  String caCertificatePem() {
    return pem(caCertificate);
  }

  String caPrivateKeyPem() {
    return pkcs8Pem(caKeys.getPrivate());
  }

  Credential issueServing(String commonName, List<String> dnsNames, List<String> ipAddresses) {
    List<GeneralName> altNames = new ArrayList<>();
    dnsNames.forEach(dns -> altNames.add(new GeneralName(GeneralName.dNSName, dns)));
    ipAddresses.forEach(ip -> altNames.add(new GeneralName(GeneralName.iPAddress, ip)));
    return issue(subject(commonName, List.of()), KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(altNames.toArray(GeneralName[]::new)));
  }

  Credential issueClient(String user, List<String> groups) {
    return issue(subject(user, groups), KeyPurposeId.id_kp_clientAuth, null);
  }

  /** A key pair for signing service-account tokens: private key and public key, PEM encoded. */
  static Credential serviceAccountSigningKey() {
    KeyPair keys = newKeyPair();
    return new Credential(pem(keys.getPublic()), pkcs8Pem(keys.getPrivate()));
  }

  private Credential issue(X500Name subject, KeyPurposeId purpose, GeneralNames altNames) {
    KeyPair keys = newKeyPair();
    X500Name issuer = new X500Name(caCertificate.getSubjectX500Principal().getName());
    var builder = certificateBuilder(issuer, subject, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      // Strict verifiers (Python 3.13's ssl, for one) insist on both key identifiers.
      builder.addExtension(Extension.subjectKeyIdentifier, false, EXTENSIONS.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          EXTENSIONS.createAuthorityKeyIdentifier(caCertificate));
      if (altNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames);
      }
    } catch (CertIOException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot build a certificate's extensions", e);
    }
    return new Credential(pem(sign(builder, caKeys.getPrivate())), pkcs8Pem(keys.getPrivate()));
  }

  private static X500Name subject(String commonName, List<String> organizations) {
    var builder = new X500NameBuilder(BCStyle.INSTANCE);
    organizations.forEach(organization -> builder.addRDN(BCStyle.O, organization));
    return builder.addRDN(BCStyle.CN, commonName).build();
  }

  private static X509v3CertificateBuilder certificateBuilder(X500Name issuer, X500Name subject, PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
    try {
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }

  private static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-1 for key identifiers", e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    var out = new StringWriter();
    try (var writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String pkcs8Pem(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
