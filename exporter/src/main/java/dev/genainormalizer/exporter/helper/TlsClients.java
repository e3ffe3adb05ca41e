package dev.genainormalizer.exporter.helper;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import dev.genainormalizer.config.TlsClientConfig;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;

/** Client factories for an exporter's {@code tls} block. */
public final class TlsClients {
  private TlsClients() {}

  /**
   * A factory of its own for a customized {@code tls} block (the caller closes it), after loading
   * the PEM files once so that a bad file fails at start with the key that names it.
   *
   * @throws IllegalArgumentException naming the file that cannot be loaded
   */
  public static ClientFactory factory(TlsClientConfig tls, String exporter, Logger logger) {
    final ClientFactoryBuilder b = ClientFactory.builder();
    if (tls.insecureSkipVerify()) {
      logger.warn(
          "export to {}: tls.insecure_skip_verify is true: the server's certificate and host name"
              + " are NOT verified, so anyone on the network path can read and alter the exported"
              + " telemetry. Use tls.ca_file instead outside of tests.",
          exporter);
      b.tlsNoVerify();
    }
    final File ca = tls.caFile().isEmpty() ? null : new File(tls.caFile());
    final File cert = tls.certFile().isEmpty() ? null : new File(tls.certFile());
    final File key = tls.keyFile().isEmpty() ? null : new File(tls.keyFile());
    check(ca, cert, key, tls);
    if (ca != null || cert != null) {
      b.tlsCustomizer(
          s -> {
            if (ca != null) {
              s.trustManager(ca);
            }
            if (cert != null) {
              s.keyManager(cert, key);
            }
          });
    }
    return b.build();
  }

  private static void check(File ca, File cert, File key, TlsClientConfig tls) {
    if (ca != null) {
      try {
        SslContextBuilder.forClient().trustManager(ca).build();
      } catch (SSLException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "tls.ca_file: cannot load '"
                + tls.caFile()
                + "' (expected: PEM CA certificates): "
                + e.getMessage(),
            e);
      }
    }
    if (cert != null) {
      try {
        SslContextBuilder.forClient().keyManager(cert, key).build();
      } catch (SSLException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "tls.cert_file/key_file: cannot load '"
                + tls.certFile()
                + "' and '"
                + tls.keyFile()
                + "' (expected: a PEM certificate chain and its PKCS#8 PEM private key): "
                + e.getMessage(),
            e);
      }
    }
  }
}
