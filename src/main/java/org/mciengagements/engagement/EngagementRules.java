package org.mciengagements.engagement;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.mciengagements.engagement.EngagementDraft.DeadlineDraft;
import org.mciengagements.engagement.EngagementDraft.RateCardDraft;
import org.mciengagements.program.Market;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.shared.ProblemException.FieldProblem;

/**
 * The rules of SPEC §4 for configuring an engagement. {@link #check} looks at the whole draft and
 * returns every problem it finds, each against its field path ({@code criteria[1].expression},
 * {@code rateCards[0].rates.B}), so that an operator fixes them all in one go; only a draft
 * without problems becomes an {@link Engagement}.
 *
 * <p>Besides the shape of each field, two rules protect claims already made: the payment model
 * does not change once the engagement has claims, and a rate-card version that has taken effect
 * is never changed or removed — a new version takes effect from tomorrow at the earliest, so it
 * never applies to a day on which claims were already created with the version before it.
 */
public final class EngagementRules {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern LOCATION_ID = Pattern.compile("[0-9]{6,10}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final int MAX_DEADLINE_DAYS = 3650;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * What the rules need besides the draft: today (UTC), the engagement as stored (empty when it
     * is new), whether it has claims, which location IDs exist, and the CEL compiler.
     */
    public record Context(LocalDate today, Optional<Engagement> current, boolean hasClaims,
                          Predicate<String> locationExists, ExpressionCheck expressions) {}

    /** A CEL compile error against its field, for callers that show where in the expression it is. */
    public record ExpressionProblem(String field, String expression, int line, int column, String message) {}

    /** The outcome: an engagement, or every problem found. */
    public sealed interface Checked {}

    public record Valid(Engagement engagement) implements Checked {}

    public record Invalid(List<FieldProblem> problems, List<ExpressionProblem> expressionProblems)
            implements Checked {}

    private EngagementRules() {}

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static Checked check(String id, EngagementDraft draft, Context context) {
        return new Run(id, draft, context).check();
    }

    /** One check of one draft: collects problems as it goes. */
    private static final class Run {

        private final String id;
        private final EngagementDraft draft;
        private final Context context;
        private final List<FieldProblem> problems = new ArrayList<>();
        private final List<ExpressionProblem> expressionProblems = new ArrayList<>();

        Run(String id, EngagementDraft draft, Context context) {
            this.id = id;
            this.draft = draft;
            this.context = context;
        }

        Checked check() {
            if (!validId(id)) {
                problem("id", "INVALID_ID", "engagement.config.id.invalid");
            }
            String name = text("name", draft.name(), 200);
            String description = text("description", draft.description(), 4000);
            String solutionArea = text("solutionArea", draft.solutionArea(), 200);
            EngagementType type = choice("type", draft.type(), EngagementType.class);
            LocalDate first = day("firstClaimDay", draft.firstClaimDay());
            LocalDate last = day("lastClaimDay", draft.lastClaimDay());
            if (first != null && last != null && last.isBefore(first)) {
                problem("lastClaimDay", "BEFORE_FIRST_DAY", "engagement.config.lastClaimDay.beforeFirst");
            }
            PaymentModel model = choice("paymentModel", draft.paymentModel(), PaymentModel.class);
            context.current().ifPresent(current -> {
                if (model != null && model != current.paymentModel() && context.hasClaims()) {
                    problem("paymentModel", "PAYMENT_MODEL_LOCKED", "engagement.config.paymentModel.locked");
                }
            });
            Set<IdentifierType> types = identifierTypes(model);
            Set<String> countries = countries();
            Set<String> locations = locations();
            int maxActive = maxActiveClaims();
            Deadlines deadlines = deadlines(type);
            List<Criterion> criteria = criteria();
            Map<Market, BigDecimal> payouts = fixedPayouts(model);
            List<RateCard> rateCards = rateCards(model);
            ReferralPolicy referral = referralPolicy();

            if (!problems.isEmpty()) {
                return new Invalid(List.copyOf(problems), List.copyOf(expressionProblems));
            }
            return new Valid(new Engagement(id, name, description, solutionArea, type, first, last, model,
                    Set.copyOf(types), Set.copyOf(countries), Set.copyOf(locations), maxActive, deadlines,
                    List.copyOf(criteria), Map.copyOf(payouts), List.copyOf(rateCards), referral));
        }

        private Set<IdentifierType> identifierTypes(PaymentModel model) {
            Set<IdentifierType> types = EnumSet.noneOf(IdentifierType.class);
            for (int i = 0; i < draft.identifierTypes().size(); i++) {
                IdentifierType type = choice("identifierTypes[" + i + "]", draft.identifierTypes().get(i),
                        IdentifierType.class);
                if (type != null) {
                    types.add(type);
                }
            }
            if (model == PaymentModel.VARIABLE && !types.equals(EnumSet.of(IdentifierType.MSX_OPPORTUNITY_ID))) {
                problem("identifierTypes", "VARIABLE_NEEDS_OPPORTUNITY", "engagement.config.identifierTypes.variable");
            }
            if (model == PaymentModel.FIXED && (types.isEmpty() || types.contains(IdentifierType.MSX_OPPORTUNITY_ID))) {
                problem("identifierTypes", "FIXED_NEEDS_CUSTOMER_TYPES", "engagement.config.identifierTypes.fixed");
            }
            return types;
        }

        private Set<String> countries() {
            Set<String> countries = new TreeSet<>();
            for (int i = 0; i < draft.allowedCountries().size(); i++) {
                String raw = draft.allowedCountries().get(i);
                String country = raw == null ? "" : raw.strip().toUpperCase(Locale.ROOT);
                if (!COUNTRIES.contains(country)) {
                    problem("allowedCountries[" + i + "]", "UNKNOWN_COUNTRY", "engagement.config.country.unknown",
                            String.valueOf(raw));
                } else {
                    countries.add(country);
                }
            }
            return countries;
        }

        private Set<String> locations() {
            Set<String> locations = new TreeSet<>();
            for (int i = 0; i < draft.eligibleLocationIds().size(); i++) {
                String raw = draft.eligibleLocationIds().get(i);
                String location = raw == null ? "" : raw.strip();
                String field = "eligibleLocationIds[" + i + "]";
                if (!LOCATION_ID.matcher(location).matches()) {
                    problem(field, "INVALID_LOCATION_ID", "engagement.config.location.invalid", String.valueOf(raw));
                } else if (!context.locationExists().test(location)) {
                    problem(field, "UNKNOWN_LOCATION", "engagement.config.location.unknown", location);
                } else {
                    locations.add(location);
                }
            }
            return locations;
        }

        private int maxActiveClaims() {
            Integer max = draft.maxActiveClaimsPerCustomer();
            if (max == null) {
                return 1;
            }
            if (max < 1 || max > 1000) {
                problem("maxActiveClaimsPerCustomer", "OUT_OF_RANGE", "engagement.config.range", 1, 1000);
            }
            return max;
        }

        private Deadlines deadlines(EngagementType type) {
            Deadlines defaults = (type == null ? EngagementType.WORKSHOP : type).defaultDeadlines();
            DeadlineDraft given = draft.deadlines() == null
                    ? new DeadlineDraft(null, null, null, null, null) : draft.deadlines();
            Deadlines deadlines = new Deadlines(
                    days("deadlines.consentDays", given.consentDays(), defaults.consentDays()),
                    days("deadlines.firstSubmissionDays", given.firstSubmissionDays(), defaults.firstSubmissionDays()),
                    days("deadlines.reviewDays", given.reviewDays(), defaults.reviewDays()),
                    days("deadlines.disputeDays", given.disputeDays(), defaults.disputeDays()),
                    days("deadlines.actionRequiredDays", given.actionRequiredDays(), defaults.actionRequiredDays()));
            if (deadlines.reviewDays() < deadlines.firstSubmissionDays()) {
                // Both count from consent: a review due before the claim may even be submitted cannot be met.
                problem("deadlines.reviewDays", "REVIEW_BEFORE_SUBMISSION", "engagement.config.deadlines.review");
            }
            return deadlines;
        }

        private int days(String field, Integer given, int fallback) {
            if (given == null) {
                return fallback;
            }
            if (given < 1 || given > MAX_DEADLINE_DAYS) {
                problem(field, "OUT_OF_RANGE", "engagement.config.range", 1, MAX_DEADLINE_DAYS);
                return fallback;
            }
            return given;
        }

        private List<Criterion> criteria() {
            List<Criterion> criteria = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < draft.criteria().size(); i++) {
                Criterion c = draft.criteria().get(i);
                String at = "criteria[" + i + "]";
                if (c == null) {
                    problem(at, "REQUIRED", "problem.field.required");
                    continue;
                }
                String name = text(at + ".name", c.name(), 200);
                if (name != null && !names.add(name.toLowerCase(Locale.ROOT))) {
                    problem(at + ".name", "DUPLICATE_NAME", "engagement.config.criterion.duplicate", name);
                }
                String expression = expression(at + ".expression", c.expression());
                String message = text(at + ".message", c.message(), 500);
                criteria.add(new Criterion(name, expression, message));
            }
            return criteria;
        }

        private Map<Market, BigDecimal> fixedPayouts(PaymentModel model) {
            Map<Market, BigDecimal> payouts = new EnumMap<>(Market.class);
            if (model == PaymentModel.VARIABLE) {
                if (!draft.fixedPayouts().isEmpty()) {
                    problem("fixedPayouts", "NOT_FOR_VARIABLE", "engagement.config.fixedPayouts.variable");
                }
                return payouts;
            }
            perMarket("fixedPayouts", draft.fixedPayouts(), model == PaymentModel.FIXED, payouts);
            return payouts;
        }

        private List<RateCard> rateCards(PaymentModel model) {
            if (model == PaymentModel.FIXED && !draft.rateCards().isEmpty()) {
                problem("rateCards", "NOT_FOR_FIXED", "engagement.config.rateCards.fixed");
                return List.of();
            }
            if (model == PaymentModel.VARIABLE && draft.rateCards().isEmpty()) {
                problem("rateCards", "REQUIRED", "engagement.config.rateCards.required");
            }
            List<RateCard> cards = new ArrayList<>();
            Map<LocalDate, Integer> seen = new HashMap<>();
            for (int i = 0; i < draft.rateCards().size(); i++) {
                RateCardDraft card = draft.rateCards().get(i);
                String at = "rateCards[" + i + "]";
                LocalDate from = day(at + ".effectiveFrom", card.effectiveFrom());
                if (from != null && seen.putIfAbsent(from, i) != null) {
                    problem(at + ".effectiveFrom", "DUPLICATE_EFFECTIVE_DATE", "engagement.config.rateCard.duplicate");
                }
                Integer hours = card.maxHours();
                if (hours == null) {
                    problem(at + ".maxHours", "REQUIRED", "problem.field.required");
                } else if (hours < 1 || hours > 10_000) {
                    problem(at + ".maxHours", "OUT_OF_RANGE", "engagement.config.range", 1, 10_000);
                }
                BigDecimal cap = card.capPercent();
                if (cap == null) {
                    problem(at + ".capPercent", "REQUIRED", "problem.field.required");
                } else if (cap.signum() <= 0 || cap.compareTo(HUNDRED) > 0 || cap.scale() > 2) {
                    problem(at + ".capPercent", "OUT_OF_RANGE", "engagement.config.capPercent");
                }
                Map<Market, BigDecimal> rates = new EnumMap<>(Market.class);
                perMarket(at + ".rates", card.rates(), true, rates);
                if (from != null && hours != null && cap != null && rates.size() == Market.values().length) {
                    cards.add(new RateCard(from, hours, cap.setScale(2), rates.get(Market.A), rates.get(Market.B),
                            rates.get(Market.C)));
                }
            }
            context.current().ifPresent(current -> versionsInForceKept(current, cards));
            cards.sort(java.util.Comparator.comparing(RateCard::effectiveFrom));
            return cards;
        }

        /**
         * Versions already in effect stay exactly as they are; a new version starts tomorrow at the
         * earliest. Claims keep a snapshot of their version anyway; this keeps the configuration
         * telling the truth about which version was in force on any past day.
         */
        private void versionsInForceKept(Engagement current, List<RateCard> proposed) {
            Map<LocalDate, RateCard> byDay = new HashMap<>();
            proposed.forEach(card -> byDay.put(card.effectiveFrom(), card));
            for (RateCard stored : current.rateCards()) {
                if (stored.effectiveFrom().isAfter(context.today())) {
                    continue;
                }
                RateCard kept = byDay.get(stored.effectiveFrom());
                if (kept == null || !sameTerms(kept, stored)) {
                    problem("rateCards", "RATE_CARD_IN_FORCE", "engagement.config.rateCard.inForce",
                            stored.effectiveFrom().toString());
                }
            }
            if (current.rateCards().isEmpty()) {
                return;
            }
            Set<LocalDate> storedDays = new HashSet<>(current.rateCards().stream().map(RateCard::effectiveFrom).toList());
            for (int i = 0; i < draft.rateCards().size(); i++) {
                LocalDate from = parse(draft.rateCards().get(i).effectiveFrom());
                if (from != null && !storedDays.contains(from) && !from.isAfter(context.today())) {
                    problem("rateCards[" + i + "].effectiveFrom", "RATE_CARD_BACKDATED",
                            "engagement.config.rateCard.backdated", context.today().plusDays(1).toString());
                }
            }
        }

        private static boolean sameTerms(RateCard a, RateCard b) {
            return a.maxHours() == b.maxHours() && a.capPercent().compareTo(b.capPercent()) == 0
                    && a.rateA().compareTo(b.rateA()) == 0 && a.rateB().compareTo(b.rateB()) == 0
                    && a.rateC().compareTo(b.rateC()) == 0;
        }

        private ReferralPolicy referralPolicy() {
            EngagementDraft.ReferralDraft referral = draft.referralPolicy();
            if (referral == null || !Boolean.TRUE.equals(referral.enabled())) {
                return ReferralPolicy.off();
            }
            String condition = expression("referralPolicy.condition", referral.condition());
            String coSell = expression("referralPolicy.coSellCondition", referral.coSellCondition());
            return new ReferralPolicy(true, condition, coSell);
        }

        private void perMarket(String field, Map<String, BigDecimal> given, boolean required,
                               Map<Market, BigDecimal> into) {
            for (String key : given.keySet()) {
                if (Optional.ofNullable(key).filter(k -> k.matches("[ABC]")).isEmpty()) {
                    problem(field + "." + key, "UNKNOWN_MARKET", "engagement.config.market.unknown", key);
                }
            }
            if (!required) {
                return;
            }
            for (Market market : Market.values()) {
                BigDecimal amount = given.get(market.name());
                String at = field + "." + market.name();
                if (amount == null) {
                    problem(at, "REQUIRED", "problem.field.required");
                } else if (amount.signum() < 0 || amount.scale() > 2 || amount.compareTo(new BigDecimal("10000000")) >= 0) {
                    problem(at, "INVALID_AMOUNT", "engagement.config.amount");
                } else {
                    into.put(market, amount.setScale(2));
                }
            }
        }

        private String expression(String field, String expression) {
            String text = text(field, expression, 2000);
            if (text == null) {
                return null;
            }
            for (ExpressionCheck.ExpressionError error : context.expressions().compileErrors(text)) {
                problem(field, "EXPRESSION_INVALID", "engagement.config.expression.invalid",
                        error.line(), error.column(), error.message());
                expressionProblems.add(new ExpressionProblem(field, text, error.line(), error.column(),
                        error.message()));
            }
            return text;
        }

        private String text(String field, String value, int maxLength) {
            if (value == null || value.isBlank()) {
                problem(field, "REQUIRED", "problem.field.required");
                return null;
            }
            String text = value.strip();
            if (text.length() > maxLength) {
                problem(field, "TOO_LONG", "engagement.config.tooLong", maxLength);
            }
            return text;
        }

        private <E extends Enum<E>> E choice(String field, String value, Class<E> type) {
            if (value == null || value.isBlank()) {
                problem(field, "REQUIRED", "problem.field.required");
                return null;
            }
            try {
                return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(field, "UNKNOWN_VALUE", "engagement.config.unknownValue", value,
                        String.join(", ", java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
                return null;
            }
        }

        private LocalDate day(String field, String value) {
            if (value == null || value.isBlank()) {
                problem(field, "REQUIRED", "problem.field.required");
                return null;
            }
            LocalDate day = parse(value);
            if (day == null) {
                problem(field, "INVALID_DATE", "engagement.config.date.invalid", value);
            }
            return day;
        }

        private static LocalDate parse(String value) {
            try {
                return value == null ? null : LocalDate.parse(value.strip());
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        private void problem(String field, String code, String key, Object... args) {
            problems.add(new FieldProblem(field, code, key, List.of(args)));
        }
    }
}
