package dev.attune.contract;

/** A machine-readable trigger factor: a code, the value that produced it, its share of the score. */
public record Reason(String code, String value, int contribution) {}
