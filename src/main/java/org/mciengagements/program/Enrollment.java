package org.mciengagements.program;

public enum Enrollment { ENROLLED, NOT_ENROLLED, SUSPENDED }
