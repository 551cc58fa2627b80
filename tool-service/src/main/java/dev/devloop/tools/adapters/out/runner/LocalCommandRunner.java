package dev.devloop.tools.adapters.out.runner;

import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.RunnerPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local stack's runner: the configured command (e.g. {@code [/repo/deploy/devloop, restart]}) with
 * the service name appended as one more argument. No shell is involved, so the name (already checked
 * against the allow-list) can never be interpreted as a command. The output is kept up to a bound;
 * a restart still running after the wait goes on, its output drained in the background.
 */
public class LocalCommandRunner implements RunnerPort {
    private static final Logger LOG = Logger.getLogger(LocalCommandRunner.class.getName());
    private final List<String> command;
    private final int maxOutputChars;

    public LocalCommandRunner(List<String> command, int maxOutputChars) {
        this.command = List.copyOf(command);
        this.maxOutputChars = maxOutputChars;
    }

    @Override
    public Optional<String> configured() {
        return command.isEmpty() ? Optional.empty() : Optional.of("local:" + String.join(" ", command));
    }

    @Override
    public Restart restart(String service, long waitMs) {
        if (command.isEmpty()) {
            throw new DownstreamException("no runner command is configured");
        }
        List<String> args = new ArrayList<>(command);
        args.add(service);
        Process process;
        try {
            process = new ProcessBuilder(args)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new DownstreamException("the runner could not be started: " + e.getMessage());
        }
        Output output = new Output(process.getInputStream(), maxOutputChars);
        Thread drain = new Thread(output, "restart-" + service);
        drain.setDaemon(true);
        drain.start();
        try {
            if (process.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
                drain.join(2000);
                return new Restart(configured().orElseThrow(), true, process.exitValue(), output.text());
            }
            return new Restart(configured().orElseThrow(), false, -1, output.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Restart(configured().orElseThrow(), false, -1, output.text());
        }
    }

    /** Keeps the last {@code max} characters of a stream while draining all of it. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final int max;
        private final StringBuilder kept = new StringBuilder();

        Output(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        kept.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        if (kept.length() > max) {
                            kept.delete(0, kept.length() - max);
                        }
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.FINE, "runner output closed", e);
            }
        }

        synchronized String text() {
            return kept.toString().strip();
        }
    }
}
