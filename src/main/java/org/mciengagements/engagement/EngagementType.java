package org.mciengagements.engagement;

/**
 * Engagement types with the program's default deadlines in days: consent (from claim creation),
 * first submission and review complete (from consent), dispute (from rejection).
 */
public enum EngagementType {
    ASSESSMENT(60, 90),
    WORKSHOP(90, 120),
    PROJECT_XS(120, 150),
    PROJECT_S(120, 150),
    PROJECT_M(200, 230),
    PROJECT_L(260, 290),
    PROJECT_XL(260, 290);

    private final int firstSubmissionDays;
    private final int reviewDays;

    EngagementType(int firstSubmissionDays, int reviewDays) {
        this.firstSubmissionDays = firstSubmissionDays;
        this.reviewDays = reviewDays;
    }

    public Deadlines defaultDeadlines() {
        return new Deadlines(30, firstSubmissionDays, reviewDays, 30, 14);
    }
}
