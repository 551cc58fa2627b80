package dev.devloop.tools.adapters.out.forge.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an operator's check command with its bounds: no shell, a scrubbed environment (PATH, HOME = the clone,
 * LANG, plus the given variables: never tool-service's own secrets), a deadline, the output's tail kept (stdout
 * and stderr together) and a ceiling on the processes of the tree. Past the deadline or the process ceiling the
 * whole tree is killed (descendants first, then the command).
 */
public final class CheckProcess {
    private static final long POLL_MS = 100;
    private static final long READER_GRACE_MS = 2000;

    /**
     * {@code conclusion}: {@code success}, {@code failure} or {@code timed_out}; {@code exitCode} null when the
     * command did not end by itself; {@code truncated} when the head of the output was dropped.
     */
    public record Result(
            String conclusion,
            Integer exitCode,
            String output,
            boolean truncated,
            long outputBytes,
            long durationMs,
            String summary) {}

    private CheckProcess() {}

    public static Result run(
            List<String> argv,
            Path dir,
            Map<String, String> env,
            long timeoutMs,
            int maxOutputBytes,
            int maxProcesses) {
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(argv);
        if (command.get(0).startsWith("./")) {
            command.set(0, dir.resolve(command.get(0).substring(2)).normalize().toString());
        }
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment.clear();
        environment.put("PATH", path);
        environment.put("HOME", dir.toString());
        environment.put("LANG", "C.UTF-8");
        environment.putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            String why = "the check command could not start (" + e.getClass().getSimpleName() + ")";
            return new Result("failure", null, why + "\n", false, 0, millis(started), why);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the command reads no input
        }
        Tail tail = new Tail(maxOutputBytes);
        Thread reader = new Thread(() -> tail.drain(process.getInputStream()), "check-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String killed = null;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    killed = "timed_out";
                    break;
                }
                if (process.waitFor(
                        Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1), TimeUnit.MILLISECONDS)) {
                    break;
                }
                if (process.descendants().limit(maxProcesses + 1L).count() + 1 > maxProcesses) {
                    killed = "processes";
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killed = "interrupted";
        }
        if (killed != null) {
            killTree(process.toHandle());
        }
        try {
            process.waitFor(READER_GRACE_MS, TimeUnit.MILLISECONDS);
            reader.join(READER_GRACE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.interrupt();
        long duration = millis(started);
        String output = tail.text();
        if (killed == null) {
            int exit = process.exitValue();
            String conclusion = exit == 0 ? "success" : "failure";
            return new Result(
                    conclusion,
                    exit,
                    output,
                    tail.truncated(),
                    tail.total(),
                    duration,
                    (exit == 0 ? "passed" : "failed with exit code " + exit) + " in " + seconds(duration));
        }
        String summary =
                switch (killed) {
                    case "timed_out" -> "timed out after " + seconds(timeoutMs) + "; the process tree was killed";
                    case "processes" -> "started more than " + maxProcesses + " processes; the process tree was killed";
                    default -> "interrupted; the process tree was killed";
                };
        return new Result(
                "timed_out".equals(killed) ? "timed_out" : "cancelled",
                null,
                output + (output.isEmpty() || output.endsWith("\n") ? "" : "\n") + "[devloop] " + summary + "\n",
                tail.truncated(),
                tail.total(),
                duration,
                summary);
    }

    /** Kills the descendants (twice, for children forked meanwhile), then the process itself. */
    static void killTree(ProcessHandle process) {
        for (int round = 0; round < 2; round++) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static long millis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** The last {@code limit} bytes of a stream, in a ring. */
    static final class Tail {
        private final byte[] ring;
        private long total;

        Tail(int limit) {
            ring = new byte[Math.max(1, limit)];
        }

        void drain(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    append(buffer, n);
                }
            } catch (IOException ignored) {
                // the process is gone: what was read is kept
            }
        }

        synchronized void append(byte[] bytes, int n) {
            for (int i = 0; i < n; i++) {
                ring[(int) (total++ % ring.length)] = bytes[i];
            }
        }

        synchronized long total() {
            return total;
        }

        synchronized boolean truncated() {
            return total > ring.length;
        }

        synchronized String text() {
            if (total <= ring.length) {
                return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
            }
            int start = (int) (total % ring.length);
            byte[] ordered = new byte[ring.length];
            System.arraycopy(ring, start, ordered, 0, ring.length - start);
            System.arraycopy(ring, 0, ordered, ring.length - start, start);
            int skip = 0;
            while (skip < ordered.length && skip < 4 && (ordered[skip] & 0xC0) == 0x80) {
                skip++;
            }
            return new String(ordered, skip, ordered.length - skip, StandardCharsets.UTF_8);
        }
    }
}
