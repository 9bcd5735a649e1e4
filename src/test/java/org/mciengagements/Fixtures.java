package org.mciengagements;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.eligibility.MarketFacts;
import org.mciengagements.eligibility.Question;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.engagement.RateCard;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.Location;
import org.mciengagements.program.Market;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;

/**
 * Builders for the pure domain records, so tests state only what matters to them. Defaults describe
 * a nomination that passes every rule: an active FIXED workshop open to all enrolled locations,
 * an enrolled Dutch location, a tenant in the directory, and no claims by anyone yet.
 */
public final class Fixtures {

    /** Mid-window instant of the default engagement (window: all of 2026, UTC). */
    public static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
    public static final String TENANT_ID = "8f14e45f-ceea-467f-a8d6-0e4c1b2d3a5b";
    public static final String TPID = "1234567";

    private Fixtures() {}

    public static EngagementBuilder engagement() {
        return new EngagementBuilder();
    }

    public static LocationBuilder location() {
        return new LocationBuilder();
    }

    public static CustomerBuilder customer(CustomerKey key) {
        return new CustomerBuilder(key);
    }

    public static CustomerKey tenantKey() {
        return CustomerKey.tenant(TENANT_ID);
    }

    public static CustomerKey tpidKey() {
        return new CustomerKey(CustomerKey.Kind.TPID, TPID);
    }

    public static QuestionBuilder question() {
        return new QuestionBuilder();
    }

    public static Criterion criterion(String name, String expression) {
        return new Criterion(name, expression, "message of " + name);
    }

    public static RateCard rateCard(String effectiveFrom, String rateA, String capPercent) {
        return new RateCard(LocalDate.parse(effectiveFrom), 40, new BigDecimal(capPercent), new BigDecimal(rateA),
                new BigDecimal(rateA).divide(BigDecimal.TWO), new BigDecimal(rateA).divide(BigDecimal.valueOf(4)));
    }

    public static final class EngagementBuilder {
        private String id = "modern-work-workshop";
        private EngagementType type = EngagementType.WORKSHOP;
        private LocalDate firstClaimDay = LocalDate.parse("2026-01-01");
        private LocalDate lastClaimDay = LocalDate.parse("2026-12-31");
        private PaymentModel paymentModel = PaymentModel.FIXED;
        private Set<IdentifierType> identifierTypes = EnumSet.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID,
                IdentifierType.TPID, IdentifierType.AZURE_SUBSCRIPTION_ID);
        private Set<String> allowedCountries = Set.of();
        private Set<String> eligibleLocationIds = Set.of();
        private int maxActiveClaimsPerCustomer = 1;
        private final List<Criterion> criteria = new ArrayList<>();
        private final List<RateCard> rateCards = new ArrayList<>();

        public EngagementBuilder id(String id) {
            this.id = id;
            return this;
        }

        public EngagementBuilder claimWindow(String firstDay, String lastDay) {
            this.firstClaimDay = LocalDate.parse(firstDay);
            this.lastClaimDay = LocalDate.parse(lastDay);
            return this;
        }

        public EngagementBuilder variable() {
            this.paymentModel = PaymentModel.VARIABLE;
            this.identifierTypes = EnumSet.of(IdentifierType.MSX_OPPORTUNITY_ID);
            return this;
        }

        public EngagementBuilder identifierTypes(IdentifierType first, IdentifierType... rest) {
            this.identifierTypes = EnumSet.of(first, rest);
            return this;
        }

        public EngagementBuilder allowedCountries(String... countries) {
            this.allowedCountries = Set.of(countries);
            return this;
        }

        public EngagementBuilder eligibleLocations(String... locationIds) {
            this.eligibleLocationIds = Set.of(locationIds);
            return this;
        }

        public EngagementBuilder maxActiveClaimsPerCustomer(int max) {
            this.maxActiveClaimsPerCustomer = max;
            return this;
        }

        public EngagementBuilder criteria(Criterion... criteria) {
            this.criteria.addAll(List.of(criteria));
            return this;
        }

        public EngagementBuilder rateCards(RateCard... cards) {
            this.rateCards.addAll(List.of(cards));
            return this;
        }

        public Engagement build() {
            return new Engagement(id, "Engagement " + id, "A test engagement", "Modern Work", type, firstClaimDay,
                    lastClaimDay, paymentModel, Set.copyOf(identifierTypes), allowedCountries, eligibleLocationIds,
                    maxActiveClaimsPerCustomer, type.defaultDeadlines(), List.copyOf(criteria),
                    Map.of(Market.A, new BigDecimal("5000"), Market.B, new BigDecimal("4000"),
                            Market.C, new BigDecimal("3000")),
                    List.copyOf(rateCards), ReferralPolicy.off());
        }
    }

    public static final class LocationBuilder {
        private String id = "4100001";
        private String country = "NL";
        private Enrollment enrollment = Enrollment.ENROLLED;

        public LocationBuilder id(String id) {
            this.id = id;
            return this;
        }

        public LocationBuilder country(String country) {
            this.country = country;
            return this;
        }

        public LocationBuilder enrollment(Enrollment enrollment) {
            this.enrollment = enrollment;
            return this;
        }

        public Location build() {
            return new Location(id, "partner-1", "Contoso Consulting " + id, country, enrollment);
        }
    }

    public static final class CustomerBuilder {
        private final CustomerKey key;
        private String displayName = "Fabrikam";
        private String country = "NL";
        private Long tpid;
        private String segment;
        private BigDecimal estimatedValueUsd;
        private String opportunityState;
        private final Map<String, Object> attributes = new LinkedHashMap<>();

        CustomerBuilder(CustomerKey key) {
            this.key = key;
        }

        public CustomerBuilder name(String name) {
            this.displayName = name;
            return this;
        }

        public CustomerBuilder country(String country) {
            this.country = country;
            return this;
        }

        public CustomerBuilder tpid(long tpid) {
            this.tpid = tpid;
            return this;
        }

        public CustomerBuilder segment(String segment) {
            this.segment = segment;
            return this;
        }

        public CustomerBuilder estimatedValueUsd(String value) {
            this.estimatedValueUsd = new BigDecimal(value);
            return this;
        }

        public CustomerBuilder opportunityState(String state) {
            this.opportunityState = state;
            return this;
        }

        public CustomerBuilder attribute(String name, Object value) {
            attributes.put(name, value);
            return this;
        }

        public DirectoryCustomer build() {
            return new DirectoryCustomer(key, displayName, country, tpid,
                    key.kind() == CustomerKey.Kind.SUBSCRIPTION ? TENANT_ID : null, segment, estimatedValueUsd,
                    opportunityState, Map.copyOf(attributes));
        }
    }

    public static final class QuestionBuilder {
        private Engagement engagement = Fixtures.engagement().build();
        private Location location = Fixtures.location().build();
        private IdentifierType nominatedAs = IdentifierType.TENANT_ID;
        private CustomerKey key = tenantKey();
        private Optional<DirectoryCustomer> customer = Optional.of(Fixtures.customer(tenantKey()).build());
        private MarketFacts market = MarketFacts.NONE;
        private Instant now = NOW;

        public QuestionBuilder engagement(Engagement engagement) {
            this.engagement = engagement;
            return this;
        }

        public QuestionBuilder engagement(EngagementBuilder engagement) {
            return engagement(engagement.build());
        }

        public QuestionBuilder location(LocationBuilder location) {
            this.location = location.build();
            return this;
        }

        /** The partner named the customer with this identifier type. */
        public QuestionBuilder nominatedAs(IdentifierType type) {
            this.nominatedAs = type;
            return this;
        }

        /** A known customer of the partner, claimed again by its key rather than a typed identifier. */
        public QuestionBuilder knownCustomer() {
            this.nominatedAs = null;
            return this;
        }

        /** The key asked about and its own directory entry. */
        public QuestionBuilder customer(DirectoryCustomer entry) {
            this.key = entry.key();
            this.customer = Optional.of(entry);
            return this;
        }

        /** A key the directory does not know. */
        public QuestionBuilder unknownCustomer(CustomerKey key) {
            this.key = key;
            this.customer = Optional.empty();
            return this;
        }

        public QuestionBuilder market(MarketFacts market) {
            this.market = market;
            return this;
        }

        public QuestionBuilder now(Instant now) {
            this.now = now;
            return this;
        }

        public Question build() {
            return new Question(engagement, location, nominatedAs, key, customer, market, now);
        }
    }
}
