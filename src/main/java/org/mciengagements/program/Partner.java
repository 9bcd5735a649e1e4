package org.mciengagements.program;

public record Partner(String id, String name) {}
