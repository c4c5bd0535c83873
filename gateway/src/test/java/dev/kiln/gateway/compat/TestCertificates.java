package dev.kiln.gateway.compat;

import dev.kiln.gateway.GatewaySettings;
import dev.kiln.local.controlplane.LocalCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A throwaway certificate authority and a server certificate signed by it (for 127.0.0.1 unless
 * told otherwise), made with the JDK's keytool and written as PEM: the chain and key for the
 * gateway's listeners, the CA for the clients to trust. Both carry the extensions strict verifiers
 * (Python 3.13+) insist on.
 */
public record TestCertificates(GatewaySettings.TlsFiles server, Path certificateAuthority) {

  private static final String PASSWORD = "changeit";
  private static final Duration KEYTOOL_TIMEOUT = Duration.ofMinutes(1);

  public static TestCertificates create(Path directory)
      throws IOException, InterruptedException, GeneralSecurityException {
    return create(directory, "ip:127.0.0.1,dns:localhost");
  }

  /** @param subjectAltNames keytool's {@code san=} list, e.g. {@code dns:kiln-gateway.example} */
  public static TestCertificates create(Path directory, String subjectAltNames)
      throws IOException, InterruptedException, GeneralSecurityException {
    Files.createDirectories(directory);
    Path caStore = directory.resolve("ca.p12");
    Path serverStore = directory.resolve("server.p12");
    Path ca = directory.resolve("ca.pem");
    Path request = directory.resolve("server.csr");
    Path signed = directory.resolve("server-only.pem");
    keytool(directory, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=Kiln test CA", "-ext", "bc:c=ca:true", "-ext", "ku:c=keyCertSign,cRLSign",
        "-storetype", "PKCS12", "-keystore", caStore.toString(), "-storepass", PASSWORD);
    keytool(directory, "-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
        "-file", ca.toString());
    keytool(directory, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", PASSWORD);
    keytool(directory, "-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-storepass", PASSWORD,
        "-file", request.toString());
    keytool(directory, "-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
        "-validity", "2", "-infile", request.toString(), "-outfile", signed.toString(),
        "-ext", "san=" + subjectAltNames, "-ext", "ku:c=digitalSignature,keyEncipherment",
        "-ext", "eku=serverAuth");
    Path chain = directory.resolve("server.pem");
    Files.writeString(chain, Files.readString(signed) + Files.readString(ca));
    Path key = directory.resolve("server-key.pem");
    Files.writeString(key, pem("PRIVATE KEY", privateKey(serverStore, "server").getEncoded()));
    return new TestCertificates(new GatewaySettings.TlsFiles(chain, key), ca);
  }

  /** A TLS context that trusts only {@link #certificateAuthority}, for Java's own calls to the gateway. */
  public SSLContext clientContext() {
    return LocalCertificates.trustingOnly(certificateAuthority);
  }


  private static void keytool(Path directory, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Processes.Outcome outcome = Processes.run(command, Map.of(), directory.resolve("keytool-logs"), KEYTOOL_TIMEOUT);
    if (outcome.exitCode() != 0) {
      throw new IllegalStateException("keytool failed: " + outcome.describe());
    }
  }

  private static Key privateKey(Path store, String alias) throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    return keys.getKey(alias, PASSWORD.toCharArray());
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
