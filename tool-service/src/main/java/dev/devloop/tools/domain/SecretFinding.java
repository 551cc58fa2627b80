package dev.devloop.tools.domain;

/** Where a secret was found and which rule found it; never the matched text. */
public record SecretFinding(String file, int line, String rule) {}
