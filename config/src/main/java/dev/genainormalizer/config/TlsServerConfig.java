package dev.genainormalizer.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tls} of a listener: off unless {@code cert_file} is set. With {@code client_ca_file} every
 * client must present a certificate signed by that CA (mutual TLS).
 *
 * @param certFile PEM certificate chain of the server; default none (plaintext)
 * @param keyFile PEM private key (PKCS#8) of {@code cert_file}; required with it
 * @param clientCaFile PEM CA certificate(s) that client certificates must chain to; default none
 */
public record TlsServerConfig(String certFile, String keyFile, String clientCaFile)
    implements Validatable {

  public TlsServerConfig {
    certFile = certFile == null ? "" : certFile.trim();
    keyFile = keyFile == null ? "" : keyFile.trim();
    clientCaFile = clientCaFile == null ? "" : clientCaFile.trim();
  }

  public static TlsServerConfig defaults() {
    return new TlsServerConfig("", "", "");
  }

  public boolean enabled() {
    return !certFile.isEmpty();
  }

  /** Client certificates are required. */
  public boolean mutual() {
    return !clientCaFile.isEmpty();
  }

  @Override
  public List<String> validate() {
    final List<String> errors = new ArrayList<>();
    if (certFile.isEmpty() && !keyFile.isEmpty()) {
      errors.add("cert_file: required when key_file is set");
    }
    if (!certFile.isEmpty() && keyFile.isEmpty()) {
      errors.add("key_file: required when cert_file is set");
    }
    if (certFile.isEmpty() && !clientCaFile.isEmpty()) {
      errors.add("cert_file: required when client_ca_file is set (mutual TLS needs server TLS)");
    }
    checkReadable("cert_file", certFile, errors);
    checkReadable("key_file", keyFile, errors);
    checkReadable("client_ca_file", clientCaFile, errors);
    return errors;
  }

  /** Files are checked here so that {@code validate} reports a wrong path before start-up does. */
  static void checkReadable(String key, String file, List<String> errors) {
    if (file.isEmpty()) {
      return;
    }
    try {
      final Path path = Path.of(file);
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        errors.add(key + ": '" + file + "' (expected: a readable PEM file)");
      }
    } catch (InvalidPathException e) {
      errors.add(key + ": '" + file + "' (expected: a file path)");
    }
  }
}
