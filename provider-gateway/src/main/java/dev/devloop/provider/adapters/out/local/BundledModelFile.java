package dev.devloop.provider.adapters.out.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model file bundled as a class-path resource, extracted once to a directory so a native runtime (ONNX Runtime) can
 * read it from disk: the file is named after the resource's SHA-256 ({@code <name>-<16 hex>.<ext>}), and an existing
 * file is used only when its own SHA-256 matches (else it is written again). The copy streams through a 64 KB buffer
 * into a temporary file that is then moved in place, so no heap copy of the model is made and a concurrent or
 * interrupted extraction never leaves a partial file under the final name.
 */
final class BundledModelFile {
    private static final int BUFFER = 64 * 1024;

    private BundledModelFile() {}

    /** The extracted file for {@code resource} in {@code dir}, writing it when missing or not matching. */
    static Path extract(ClassLoader loader, String resource, Path dir) throws IOException {
        String hash = sha256(open(loader, resource));
        Path target = dir.resolve(fileName(resource, hash));
        if (Files.isRegularFile(target) && hash.equals(sha256(Files.newInputStream(target)))) {
            return target;
        }
        Files.createDirectories(dir);
        Path part = Files.createTempFile(dir, target.getFileName().toString(), ".part");
        try {
            MessageDigest digest = digest();
            try (InputStream in = new DigestInputStream(open(loader, resource), digest);
                    OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(out);
            }
            String written = HexFormat.of().formatHex(digest.digest());
            if (!hash.equals(written)) {
                throw new IOException("resource " + resource + " changed while it was extracted");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    static String fileName(String resource, String sha256) {
        int dot = resource.lastIndexOf('.');
        String base = dot < 0 ? resource : resource.substring(0, dot);
        String ext = dot < 0 ? "" : resource.substring(dot);
        return base + "-" + sha256.substring(0, 16) + ext;
    }

    private static InputStream open(ClassLoader loader, String resource) throws IOException {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " is not on the class path");
        }
        return in;
    }

    static String sha256(InputStream stream) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = stream) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
