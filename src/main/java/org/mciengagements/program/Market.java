package org.mciengagements.program;

/** Payout markets: countries are grouped into A, B and C; a country not listed is in C. */
public enum Market { A, B, C }
