package dev.devloop.tools.domain;

import java.util.regex.Pattern;

/**
 * Regular-expression matching with a deadline: the matcher reads the input through a view that
 * throws once the deadline has passed, so a catastrophically backtracking pattern cannot hold a
 * thread beyond it (java.util.regex does not check interrupts).
 */
public final class BoundedRegex {
    /** Thrown when the deadline passes while matching. */
    public static final class DeadlineExceeded extends RuntimeException {
        DeadlineExceeded() {
            super("regular expression took too long", null, false, false);
        }
    }

    private final Pattern pattern;
    private final long deadlineNanos;

    public BoundedRegex(Pattern pattern, long deadlineNanos) {
        this.pattern = pattern;
        this.deadlineNanos = deadlineNanos;
    }

    /** True when {@code text} contains a match; {@link DeadlineExceeded} past the deadline. */
    public boolean find(String text) {
        return pattern.matcher(new Guarded(text, deadlineNanos)).find();
    }

    private static final class Guarded implements CharSequence {
        private final CharSequence text;
        private final long deadline;
        private int reads;

        Guarded(CharSequence text, long deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0x3FF) == 0 && System.nanoTime() - deadline > 0) {
                throw new DeadlineExceeded();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Guarded(text.subSequence(start, end), deadline);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
