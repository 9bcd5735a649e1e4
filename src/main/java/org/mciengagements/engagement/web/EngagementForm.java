package org.mciengagements.engagement.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.EngagementDraft;
import org.mciengagements.shared.ProblemException.FieldProblem;

/**
 * The engagement configuration form as posted: all text, so that whatever an operator typed comes
 * back to them with its error. {@link #draft} reads it into an {@link EngagementDraft}, noting the
 * numbers that do not read as numbers, and {@link #formField} maps a rule's field path to the form
 * field that shows it. Rows left entirely blank are not part of the engagement.
 */
public class EngagementForm {

    private String id = "";
    private String version = "";
    private String name = "";
    private String description = "";
    private String solutionArea = "";
    private String type = "WORKSHOP";
    private String firstClaimDay = "";
    private String lastClaimDay = "";
    private String paymentModel = "FIXED";
    private List<String> identifierTypes = new ArrayList<>();
    private String allowedCountries = "";
    private String eligibleLocationIds = "";
    private String maxActiveClaimsPerCustomer = "1";
    private String consentDays = "";
    private String firstSubmissionDays = "";
    private String reviewDays = "";
    private String disputeDays = "";
    private String actionRequiredDays = "";
    private List<CriterionRow> criteria = new ArrayList<>();
    private String fixedA = "";
    private String fixedB = "";
    private String fixedC = "";
    private List<RateCardRow> rateCards = new ArrayList<>();
    private boolean referralEnabled;
    private String referralCondition = "";
    private String coSellCondition = "";

    /** One criterion row of the form. */
    public static class CriterionRow {
        private String name = "";
        private String expression = "";
        private String message = "";

        public CriterionRow() {}

        CriterionRow(String name, String expression, String message) {
            this.name = name;
            this.expression = expression;
            this.message = message;
        }

        boolean blank() {
            return isBlank(name) && isBlank(expression) && isBlank(message);
        }

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getExpression() { return expression; }
        public void setExpression(String expression) { this.expression = expression; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
    }

    /** One rate-card version row; {@code locked} rows are in force and shown read-only. */
    public static class RateCardRow {
        private String effectiveFrom = "";
        private String maxHours = "";
        private String capPercent = "";
        private String rateA = "";
        private String rateB = "";
        private String rateC = "";
        private boolean locked;

        public RateCardRow() {}

        boolean blank() {
            return isBlank(effectiveFrom) && isBlank(maxHours) && isBlank(capPercent) && isBlank(rateA)
                    && isBlank(rateB) && isBlank(rateC);
        }

        public String getEffectiveFrom() { return effectiveFrom; }
        public void setEffectiveFrom(String effectiveFrom) { this.effectiveFrom = effectiveFrom; }
        public String getMaxHours() { return maxHours; }
        public void setMaxHours(String maxHours) { this.maxHours = maxHours; }
        public String getCapPercent() { return capPercent; }
        public void setCapPercent(String capPercent) { this.capPercent = capPercent; }
        public String getRateA() { return rateA; }
        public void setRateA(String rateA) { this.rateA = rateA; }
        public String getRateB() { return rateB; }
        public void setRateB(String rateB) { this.rateB = rateB; }
        public String getRateC() { return rateC; }
        public void setRateC(String rateC) { this.rateC = rateC; }
        public boolean isLocked() { return locked; }
        public void setLocked(boolean locked) { this.locked = locked; }
    }

    /** The form filled from a stored engagement; rate cards in force on {@code today} are locked. */
    static EngagementForm of(String id, String version, EngagementDraft d, java.time.LocalDate today) {
        EngagementForm f = new EngagementForm();
        f.id = id;
        f.version = version;
        f.name = d.name();
        f.description = d.description();
        f.solutionArea = d.solutionArea();
        f.type = d.type();
        f.firstClaimDay = d.firstClaimDay();
        f.lastClaimDay = d.lastClaimDay();
        f.paymentModel = d.paymentModel();
        f.identifierTypes = new ArrayList<>(d.identifierTypes());
        f.allowedCountries = String.join(" ", d.allowedCountries());
        f.eligibleLocationIds = String.join(" ", d.eligibleLocationIds());
        f.maxActiveClaimsPerCustomer = text(d.maxActiveClaimsPerCustomer());
        if (d.deadlines() != null) {
            f.consentDays = text(d.deadlines().consentDays());
            f.firstSubmissionDays = text(d.deadlines().firstSubmissionDays());
            f.reviewDays = text(d.deadlines().reviewDays());
            f.disputeDays = text(d.deadlines().disputeDays());
            f.actionRequiredDays = text(d.deadlines().actionRequiredDays());
        }
        d.criteria().forEach(c -> f.criteria.add(new CriterionRow(c.name(), c.expression(), c.message())));
        f.fixedA = text(d.fixedPayouts().get("A"));
        f.fixedB = text(d.fixedPayouts().get("B"));
        f.fixedC = text(d.fixedPayouts().get("C"));
        for (EngagementDraft.RateCardDraft card : d.rateCards()) {
            RateCardRow row = new RateCardRow();
            row.effectiveFrom = card.effectiveFrom();
            row.maxHours = text(card.maxHours());
            row.capPercent = text(card.capPercent());
            row.rateA = text(card.rates().get("A"));
            row.rateB = text(card.rates().get("B"));
            row.rateC = text(card.rates().get("C"));
            row.locked = !java.time.LocalDate.parse(card.effectiveFrom()).isAfter(today);
            f.rateCards.add(row);
        }
        if (d.referralPolicy() != null) {
            f.referralEnabled = Boolean.TRUE.equals(d.referralPolicy().enabled());
            f.referralCondition = nonNull(d.referralPolicy().condition());
            f.coSellCondition = nonNull(d.referralPolicy().coSellCondition());
        }
        return f;
    }

    /** The draft the form describes, and the problems of numbers that do not read as numbers. */
    record Read(EngagementDraft draft, List<FieldProblem> problems, List<Integer> criterionRows,
                List<Integer> rateCardRows) {}

    Read draft() {
        List<FieldProblem> problems = new ArrayList<>();
        List<Criterion> criteriaDraft = new ArrayList<>();
        List<Integer> criterionRows = new ArrayList<>();
        for (int i = 0; i < criteria.size(); i++) {
            CriterionRow row = criteria.get(i);
            if (!row.blank()) {
                criteriaDraft.add(new Criterion(row.name, row.expression, row.message));
                criterionRows.add(i);
            }
        }
        List<EngagementDraft.RateCardDraft> cards = new ArrayList<>();
        List<Integer> rateCardRows = new ArrayList<>();
        for (int i = 0; i < rateCards.size(); i++) {
            RateCardRow row = rateCards.get(i);
            if (row.blank()) {
                continue;
            }
            String at = "rateCards[" + i + "].";
            Map<String, BigDecimal> rates = new LinkedHashMap<>();
            putIfPresent(rates, "A", decimal(at + "rateA", row.rateA, problems));
            putIfPresent(rates, "B", decimal(at + "rateB", row.rateB, problems));
            putIfPresent(rates, "C", decimal(at + "rateC", row.rateC, problems));
            cards.add(new EngagementDraft.RateCardDraft(row.effectiveFrom, integer(at + "maxHours", row.maxHours, problems),
                    decimal(at + "capPercent", row.capPercent, problems), rates));
            rateCardRows.add(i);
        }
        Map<String, BigDecimal> fixed = new LinkedHashMap<>();
        if (!"VARIABLE".equals(paymentModel)) {
            putIfPresent(fixed, "A", decimal("fixedA", fixedA, problems));
            putIfPresent(fixed, "B", decimal("fixedB", fixedB, problems));
            putIfPresent(fixed, "C", decimal("fixedC", fixedC, problems));
        }
        var deadlines = new EngagementDraft.DeadlineDraft(integer("consentDays", consentDays, problems),
                integer("firstSubmissionDays", firstSubmissionDays, problems),
                integer("reviewDays", reviewDays, problems), integer("disputeDays", disputeDays, problems),
                integer("actionRequiredDays", actionRequiredDays, problems));
        Integer maxActive = integer("maxActiveClaimsPerCustomer", maxActiveClaimsPerCustomer, problems);
        var draft = new EngagementDraft(name, description, solutionArea, type, firstClaimDay, lastClaimDay,
                paymentModel, List.copyOf(identifierTypes), words(allowedCountries), words(eligibleLocationIds),
                maxActive, deadlines, criteriaDraft, fixed, "VARIABLE".equals(paymentModel) ? cards : List.of(),
                new EngagementDraft.ReferralDraft(referralEnabled, blankToNull(referralCondition),
                        blankToNull(coSellCondition)));
        if (!"VARIABLE".equals(paymentModel)) {
            rateCardRows.clear();
        }
        return new Read(draft, problems, criterionRows, rateCardRows);
    }

    /** The form field that shows a problem of the rules' field path. */
    static String formField(String path, Read read) {
        String p = path.replaceFirst("^(allowedCountries|eligibleLocationIds|identifierTypes)\\[\\d+]$", "$1")
                .replaceFirst("^deadlines\\.", "")
                .replaceFirst("^fixedPayouts\\.([ABC])$", "fixed$1")
                .replaceFirst("^referralPolicy\\.condition$", "referralCondition")
                .replaceFirst("^referralPolicy\\.coSellCondition$", "coSellCondition");
        var criterion = java.util.regex.Pattern.compile("^criteria\\[(\\d+)](.*)$").matcher(p);
        if (criterion.matches()) {
            return "criteria[" + read.criterionRows().get(Integer.parseInt(criterion.group(1))) + "]" + criterion.group(2);
        }
        var card = java.util.regex.Pattern.compile("^rateCards\\[(\\d+)](.*)$").matcher(p);
        if (card.matches()) {
            String rest = card.group(2).replaceFirst("^\\.rates\\.([ABC])$", ".rate$1");
            int index = Integer.parseInt(card.group(1));
            return "rateCards[" + (index < read.rateCardRows().size() ? read.rateCardRows().get(index) : index) + "]"
                    + rest;
        }
        return p;
    }

    private static void putIfPresent(Map<String, BigDecimal> map, String key, BigDecimal value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Integer integer(String field, String text, List<FieldProblem> problems) {
        if (isBlank(text)) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "NOT_A_NUMBER", "engagement.config.notANumber", List.of(text)));
            return null;
        }
    }

    private static BigDecimal decimal(String field, String text, List<FieldProblem> problems) {
        if (isBlank(text)) {
            return null;
        }
        try {
            return new BigDecimal(text.strip().replace(",", ""));
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "NOT_A_NUMBER", "engagement.config.notANumber", List.of(text)));
            return null;
        }
    }

    private static List<String> words(String text) {
        return isBlank(text) ? List.of() : Arrays.stream(text.strip().split("[\\s,;]+")).toList();
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static String blankToNull(String text) {
        return isBlank(text) ? null : text;
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    private static String text(Object value) {
        return value == null ? "" : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public String getSolutionArea() { return solutionArea; }
    public void setSolutionArea(String solutionArea) { this.solutionArea = solutionArea; }
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getFirstClaimDay() { return firstClaimDay; }
    public void setFirstClaimDay(String firstClaimDay) { this.firstClaimDay = firstClaimDay; }
    public String getLastClaimDay() { return lastClaimDay; }
    public void setLastClaimDay(String lastClaimDay) { this.lastClaimDay = lastClaimDay; }
    public String getPaymentModel() { return paymentModel; }
    public void setPaymentModel(String paymentModel) { this.paymentModel = paymentModel; }
    public List<String> getIdentifierTypes() { return identifierTypes; }
    public void setIdentifierTypes(List<String> identifierTypes) { this.identifierTypes = identifierTypes; }
    public String getAllowedCountries() { return allowedCountries; }
    public void setAllowedCountries(String allowedCountries) { this.allowedCountries = allowedCountries; }
    public String getEligibleLocationIds() { return eligibleLocationIds; }
    public void setEligibleLocationIds(String eligibleLocationIds) { this.eligibleLocationIds = eligibleLocationIds; }
    public String getMaxActiveClaimsPerCustomer() { return maxActiveClaimsPerCustomer; }
    public void setMaxActiveClaimsPerCustomer(String value) { this.maxActiveClaimsPerCustomer = value; }
    public String getConsentDays() { return consentDays; }
    public void setConsentDays(String consentDays) { this.consentDays = consentDays; }
    public String getFirstSubmissionDays() { return firstSubmissionDays; }
    public void setFirstSubmissionDays(String firstSubmissionDays) { this.firstSubmissionDays = firstSubmissionDays; }
    public String getReviewDays() { return reviewDays; }
    public void setReviewDays(String reviewDays) { this.reviewDays = reviewDays; }
    public String getDisputeDays() { return disputeDays; }
    public void setDisputeDays(String disputeDays) { this.disputeDays = disputeDays; }
    public String getActionRequiredDays() { return actionRequiredDays; }
    public void setActionRequiredDays(String actionRequiredDays) { this.actionRequiredDays = actionRequiredDays; }
    public List<CriterionRow> getCriteria() { return criteria; }
    public void setCriteria(List<CriterionRow> criteria) { this.criteria = criteria; }
    public String getFixedA() { return fixedA; }
    public void setFixedA(String fixedA) { this.fixedA = fixedA; }
    public String getFixedB() { return fixedB; }
    public void setFixedB(String fixedB) { this.fixedB = fixedB; }
    public String getFixedC() { return fixedC; }
    public void setFixedC(String fixedC) { this.fixedC = fixedC; }
    public List<RateCardRow> getRateCards() { return rateCards; }
    public void setRateCards(List<RateCardRow> rateCards) { this.rateCards = rateCards; }
    public boolean isReferralEnabled() { return referralEnabled; }
    public void setReferralEnabled(boolean referralEnabled) { this.referralEnabled = referralEnabled; }
    public String getReferralCondition() { return referralCondition; }
    public void setReferralCondition(String referralCondition) { this.referralCondition = referralCondition; }
    public String getCoSellCondition() { return coSellCondition; }
    public void setCoSellCondition(String coSellCondition) { this.coSellCondition = coSellCondition; }
}
