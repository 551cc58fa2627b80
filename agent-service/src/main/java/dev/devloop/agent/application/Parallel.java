package dev.devloop.agent.application;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Maps a list in parallel, at most {@code maxParallel} at a time, keeping the input order. The caller
 * takes part: it runs the first item of each wave itself and then any item no pool thread has started
 * yet, so nested fan-outs (a child run fanning out again) can never deadlock on a busy pool.
 */
public final class Parallel {

    public static <T, R> List<R> map(List<T> items, Function<T, R> work, int maxParallel, Executor executor) {
        List<R> results = new ArrayList<>(items.size());
        if (items.size() <= 1 || maxParallel <= 1) {
            items.forEach(item -> results.add(work.apply(item)));
            return results;
        }
        for (int start = 0; start < items.size(); start += maxParallel) {
            List<T> wave = items.subList(start, Math.min(items.size(), start + maxParallel));
            List<FutureTask<R>> tasks = new ArrayList<>(wave.size());
            for (T item : wave) {
                tasks.add(new FutureTask<>(() -> work.apply(item)));
            }
            for (int i = 1; i < tasks.size(); i++) {
                try {
                    executor.execute(tasks.get(i));
                } catch (RejectedExecutionException full) {
                    // the caller runs it below
                }
            }
            for (FutureTask<R> task : tasks) {
                task.run(); // no-op when a pool thread already took it
            }
            RuntimeException first = null;
            for (FutureTask<R> task : tasks) {
                try {
                    results.add(task.get());
                } catch (ExecutionException e) {
                    results.add(null);
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException re
                                ? re
                                : new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for parallel work", e);
                }
            }
            if (first != null) {
                throw first;
            }
        }
        return results;
    }

    private Parallel() {}
}
