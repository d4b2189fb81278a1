package io.vigil.integrity;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The Ed25519 key that signs checkpoints (the JDK's own provider). It lives in the data folder's
 * {@code secrets/} beside, never inside, the database: {@code integrity-signing.key} (PKCS#8 PEM, mode
 * 0600) and {@code integrity-signing.pub} (X.509 PEM), the file a third party verifies with.
 */
public final class SigningKeys {
    static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_FILE = "integrity-signing.key";
    private static final String PUBLIC_FILE = "integrity-signing.pub";

    private SigningKeys() {}

    /** The public key file of a data folder. */
    public static Path publicKeyFile(Path dataDir) {
        return dataDir.resolve("secrets").resolve(PUBLIC_FILE);
    }

    /** The folder's key pair, generated on first use. */
    public static KeyPair loadOrCreate(Path dataDir) {
        Path secrets = dataDir.resolve("secrets");
        Path privateFile = secrets.resolve(PRIVATE_FILE);
        try {
            if (Files.exists(privateFile)) {
                PrivateKey privateKey = KeyFactory.getInstance(ALGORITHM)
                        .generatePrivate(new PKCS8EncodedKeySpec(fromPem(Files.readString(privateFile))));
                return new KeyPair(readPublicKey(secrets.resolve(PUBLIC_FILE)), privateKey);
            }
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            if (!Files.isDirectory(secrets)) {
                // the folder of every secret of the workspace: private from its creation
                Files.createDirectories(
                        secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            // created private, then filled: the key is never readable by others, not even briefly
            Path temporary = secrets.resolve(PRIVATE_FILE + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    temporary,
                    toPem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    StandardOpenOption.TRUNCATE_EXISTING);
            // private like every file Vigil writes in the data folder (docs/security.md); it is exported by copying
            Path publicFile = secrets.resolve(PUBLIC_FILE);
            Files.deleteIfExists(publicFile);
            Files.createFile(
                    publicFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    publicFile,
                    toPem("PUBLIC KEY", pair.getPublic().getEncoded()),
                    StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temporary, privateFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return pair;
        } catch (IOException | GeneralSecurityException e) {
            throw new VigilException(
                    StandardErrorCode.STORE_FAILURE, "cannot load or create the signing key in " + secrets, e);
        }
    }

    /** Reads an Ed25519 public key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(fromPem(Files.readString(file))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not an Ed25519 public key in PEM", e);
        }
    }

    private static String toPem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    private static byte[] fromPem(String pem) {
        StringBuilder base64 = new StringBuilder();
        for (String line : pem.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("-----") && !trimmed.isEmpty()) {
                base64.append(trimmed);
            }
        }
        return Base64.getDecoder().decode(base64.toString());
    }
}
