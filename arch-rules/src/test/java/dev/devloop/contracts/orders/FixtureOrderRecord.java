package dev.devloop.contracts.orders;

/** Test stand-in for a contracts wire record. */
public record FixtureOrderRecord(String id) {}
