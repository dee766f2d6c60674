package dev.ich.ingest.dimse;

import dev.ich.ingest.IngestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * The DIMSE server socket over TLS (DICOM PS3.15 Annex B, secure transport connection profiles):
 * the JDK's TLS with the receiver's key and certificate from a key store (a Secret mounted as a file),
 * protocols restricted to the configured ones (TLS 1.3 and 1.2 by default, as BCP 195 asks). PixelMed
 * reads and writes the socket's streams and never needs to know it is encrypted.
 */
final class DimseTls {
    private DimseTls() {
    }

    /** A TLS server socket on {@code bind} (null: every interface) and {@code port}. */
    static ServerSocket serverSocket(InetAddress bind, int port, IngestConfig.Tls tls) throws IOException {
        String path = tls.keyStore().orElseThrow(() -> new IllegalStateException("ich.ingest.dimse.tls.enabled is true but"
                + " ich.ingest.dimse.tls.key-store (ICH_INGEST_DIMSE_TLS_KEY_STORE) names no key store"));
        char[] password = tls.keyStorePassword().orElse("").toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(tls.keyStoreType());
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, 50, bind);
            socket.setEnabledProtocols(tls.protocols().toArray(String[]::new));
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the DIMSE TLS key store " + path + ": " + e.getMessage(), e);
        }
    }
}
