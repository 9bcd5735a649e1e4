package org.mciengagements.engagement;

/** An engagement's deadlines, in days. */
public record Deadlines(int consentDays, int firstSubmissionDays, int reviewDays, int disputeDays,
                        int actionRequiredDays) {}
