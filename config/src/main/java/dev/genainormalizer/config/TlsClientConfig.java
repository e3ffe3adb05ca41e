package dev.genainormalizer.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code tls} of an exporter, used when its endpoint is {@code https://}.
 *
 * @param caFile PEM CA certificate(s) to trust instead of the JVM's trust store; default none
 * @param certFile PEM client certificate chain, for servers that require mutual TLS; default none
 * @param keyFile PEM private key (PKCS#8) of {@code cert_file}; required with it
 * @param insecureSkipVerify do not verify the server's certificate or host name at all; default
 *     false. Only for tests: anyone on the path can read and change the data.
 */
public record TlsClientConfig(
    String caFile, String certFile, String keyFile, boolean insecureSkipVerify)
    implements Validatable {

  public TlsClientConfig {
    caFile = caFile == null ? "" : caFile.trim();
    certFile = certFile == null ? "" : certFile.trim();
    keyFile = keyFile == null ? "" : keyFile.trim();
  }

  public static TlsClientConfig defaults() {
    return new TlsClientConfig("", "", "", false);
  }

  /** Whether anything differs from the JVM's default TLS client. */
  public boolean customized() {
    return !caFile.isEmpty() || !certFile.isEmpty() || insecureSkipVerify;
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (certFile.isEmpty() != keyFile.isEmpty()) {
      errors.add(
          (certFile.isEmpty() ? "cert_file" : "key_file")
              + ": required when "
              + (certFile.isEmpty() ? "key_file" : "cert_file")
              + " is set");
    }
    if (insecureSkipVerify && !caFile.isEmpty()) {
      errors.add("insecure_skip_verify: true together with ca_file (expected: one of them)");
    }
    TlsServerConfig.checkReadable("ca_file", caFile, errors);
    TlsServerConfig.checkReadable("cert_file", certFile, errors);
    TlsServerConfig.checkReadable("key_file", keyFile, errors);
    return errors;
  }
}
