package dev.devloop.provider.domain;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers for {@link java.util.concurrent.CompletionStage} failures. */
public final class Stages {
    private Stages() {}

    /**
     * What failed: {@code e} without the {@link CompletionException} / {@link ExecutionException} wrappers that
     * {@code join}, {@code get} and dependent stages add (nested ones too).
     */
    public static Throwable cause(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
