package dev.devloop.knowledge.domain.roadmap;

/**
 * The roll-up of a node over the non-cancelled tasks under it (a task counts itself). {@code estimateTotal} and
 * {@code estimateDone} sum the tasks' weights (estimate when positive, else 1), so
 * {@code progress = estimateDone / estimateTotal} (0 without tasks).
 */
public record Progress(double progress, long tasks, long done, double estimateTotal, double estimateDone) {
    public static final Progress NONE = new Progress(0, 0, 0, 0, 0);

    public static Progress of(long tasks, long done, double estimateTotal, double estimateDone) {
        return new Progress(
                estimateTotal > 0 ? estimateDone / estimateTotal : 0, tasks, done, estimateTotal, estimateDone);
    }
}
