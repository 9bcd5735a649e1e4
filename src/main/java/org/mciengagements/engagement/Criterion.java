package org.mciengagements.engagement;

/** A named customer criterion: a CEL expression over {@code customer} and the message shown when it fails. */
public record Criterion(String name, String expression, String message) {}
