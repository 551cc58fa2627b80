package dev.devloop.tools.adapters.out.logs;

import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.ServiceLogsPort;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Service logs as the local stack writes them: {@code <dir>/<service>.log} (deploy/devloop's
 * {@code .devloop/services/}). Only the file's last {@code maxBytes} are read; a partial first line is
 * dropped; the file must be a regular file, not a link.
 */
public class LocalLogFiles implements ServiceLogsPort {
    private final Path dir;

    public LocalLogFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public Tail tail(String service, int maxBytes, int maxLineChars) {
        Path file = dir.resolve(service + ".log").normalize();
        if (!file.getParent().equals(dir)) {
            throw new DownstreamException("no log for '" + service + "'");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new DownstreamException("no log for '" + service + "' yet: is it running in the local stack?");
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            long start = Math.max(0, size - maxBytes);
            byte[] bytes = new byte[(int) (size - start)];
            in.seek(start);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int from = 0;
            if (start > 0) {
                int newline = text.indexOf('\n');
                from = newline < 0 ? text.length() : newline + 1;
            }
            List<String> lines = new ArrayList<>();
            for (String line : text.substring(from).split("\n")) {
                String clean = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (clean.isEmpty()) {
                    continue;
                }
                lines.add(clean.length() > maxLineChars ? clean.substring(0, maxLineChars) + "…" : clean);
            }
            return new Tail(lines, start > 0);
        } catch (IOException e) {
            throw new DownstreamException("the log of '" + service + "' cannot be read: "
                    + e.getClass().getSimpleName());
        }
    }
}
