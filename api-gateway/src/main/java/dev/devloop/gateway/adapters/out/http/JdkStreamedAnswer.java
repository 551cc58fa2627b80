package dev.devloop.gateway.adapters.out.http;

import dev.devloop.gateway.domain.StreamedAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streamed JDK HttpClient answer: closing it closes the body (the JDK client then cancels the exchange,
 * so the service sees the connection go) and frees the bulkhead slot, once. A watchdog closes it when no
 * byte arrived for {@code idle}; more than {@code maxBytes} in total ends the body early.
 */
final class JdkStreamedAnswer implements StreamedAnswer {
    private final HttpResponse<InputStream> response;
    private final BulkheadSlots slots;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledFuture<?> idleCheck;
    private final long idleNanos;
    private final long maxBytes;
    private final InputStream body;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean idledOut;
    private long total;

    JdkStreamedAnswer(
            HttpResponse<InputStream> response,
            BulkheadSlots slots,
            ScheduledExecutorService watchdog,
            Duration idle,
            long maxBytes) {
        this.response = response;
        this.slots = slots;
        this.idleNanos = idle.toNanos();
        this.maxBytes = maxBytes;
        long period = Math.max(50, Math.min(1000, idle.toMillis() / 4));
        this.idleCheck = watchdog.scheduleWithFixedDelay(this::closeIfIdle, period, period, TimeUnit.MILLISECONDS);
        this.body = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (closed.get()) {
                    if (idledOut) {
                        throw new IOException("no data for " + idle.toSeconds() + " s");
                    }
                    return -1;
                }
                int n;
                try {
                    n = response.body().read(b, off, (int) Math.min(len, maxBytes - total + 1));
                } catch (IOException e) {
                    if (idledOut) {
                        throw new IOException("no data for " + idle.toSeconds() + " s", e);
                    }
                    throw e;
                }
                if (n > 0) {
                    lastActivity = System.nanoTime();
                    total += n;
                    if (total > maxBytes) {
                        close();
                        throw new IOException("the stream exceeded " + maxBytes + " bytes");
                    }
                }
                return n;
            }
        };
    }

    private void closeIfIdle() {
        if (System.nanoTime() - lastActivity > idleNanos) {
            idledOut = true;
            close();
        }
    }

    @Override
    public int status() {
        return response.statusCode();
    }

    @Override
    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse(null);
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            idleCheck.cancel(false);
            try {
                response.body().close();
            } catch (IOException ignored) {
                // the exchange is gone either way
            } finally {
                slots.release();
            }
        }
    }
}
