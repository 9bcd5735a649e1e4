package org.mciengagements.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mciengagements.Fixtures.criterion;
import static org.mciengagements.Fixtures.customer;
import static org.mciengagements.Fixtures.engagement;
import static org.mciengagements.Fixtures.location;
import static org.mciengagements.Fixtures.question;
import static org.mciengagements.Fixtures.tenantKey;
import static org.mciengagements.Fixtures.tpidKey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mciengagements.Fixtures;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.Location;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;

/** The rules of SPEC §6, one test per rule, on a real CEL evaluator and no Spring context. */
class EligibilityPolicyTest {

    private final EligibilityPolicy policy = new EligibilityPolicy(new Expressions());

    private List<ReasonCode> codes(Question question) {
        return policy.decide(question).reasons().stream().map(Reason::code).toList();
    }

    @Test
    void questionPassingEveryRuleIsEligible() {
        Decision decision = policy.decide(question()
                .engagement(engagement().criteria(criterion("seats", "customer.paidSeats >= 300")))
                .customer(customer(tenantKey()).attribute("paidSeats", 300L).build())
                .build());

        assertThat(decision).isSameAs(Decision.ELIGIBLE);
        assertThat(decision.eligible()).isTrue();
        assertThat(decision.reasons()).isEmpty();
    }

    @Test
    void engagementOutsideItsClaimWindowIsNotAvailable() {
        var window = engagement().claimWindow("2026-03-01", "2026-03-31");

        assertThat(codes(question().engagement(window).now(Instant.parse("2026-02-28T23:59:59Z")).build()))
                .containsExactly(ReasonCode.ENGAGEMENT_NOT_AVAILABLE);
        assertThat(codes(question().engagement(window).now(Instant.parse("2026-03-01T00:00:00Z")).build()))
                .isEmpty();
        assertThat(codes(question().engagement(window).now(Instant.parse("2026-03-31T23:59:59.999Z")).build()))
                .isEmpty();
        assertThat(codes(question().engagement(window).now(Instant.parse("2026-04-01T00:00:00Z")).build()))
                .containsExactly(ReasonCode.ENGAGEMENT_NOT_AVAILABLE);
    }

    @ParameterizedTest
    @EnumSource(value = Enrollment.class, names = {"NOT_ENROLLED", "SUSPENDED"})
    void locationNotEnrolledIsRefused(Enrollment enrollment) {
        assertThat(codes(question().location(location().enrollment(enrollment)).build()))
                .containsExactly(ReasonCode.LOCATION_NOT_ENROLLED);
    }

    @Test
    void locationInDisallowedCountryIsNotEligible() {
        var turkeyAndNetherlands = engagement().allowedCountries("TR", "NL");

        assertThat(codes(question().engagement(turkeyAndNetherlands).location(location().country("DE")).build()))
                .containsExactly(ReasonCode.LOCATION_NOT_ELIGIBLE);
        assertThat(codes(question().engagement(turkeyAndNetherlands).location(location().country("TR")).build()))
                .isEmpty();
        assertThat(codes(question().engagement(engagement()).location(location().country("DE")).build()))
                .as("an empty country list allows every country").isEmpty();
    }

    @Test
    void locationNotOnExplicitListIsNotEligible() {
        var listed = engagement().eligibleLocations("4100001", "4100002");

        assertThat(codes(question().engagement(listed).location(location().id("4100003")).build()))
                .containsExactly(ReasonCode.LOCATION_NOT_ELIGIBLE);
        assertThat(codes(question().engagement(listed).location(location().id("4100002")).build())).isEmpty();
        assertThat(codes(question().engagement(listed.allowedCountries("TR")).location(location().id("4100002"))
                .build()))
                .as("being listed does not lift the country rule").containsExactly(ReasonCode.LOCATION_NOT_ELIGIBLE);
    }

    @Test
    void identifierTypeNotAcceptedByEngagementIsRefused() {
        var tenantOnly = engagement().identifierTypes(IdentifierType.TENANT_ID);

        assertThat(codes(question().engagement(tenantOnly).nominatedAs(IdentifierType.DOMAIN).build()))
                .as("a domain leads to the tenant, but the engagement does not accept domains")
                .containsExactly(ReasonCode.IDENTIFIER_TYPE_NOT_ALLOWED);
        assertThat(codes(question().engagement(tenantOnly).nominatedAs(IdentifierType.TENANT_ID).build())).isEmpty();
        assertThat(codes(question().engagement(tenantOnly).nominatedAs(IdentifierType.TPID)
                .customer(customer(tpidKey()).build()).build()))
                .containsExactly(ReasonCode.IDENTIFIER_TYPE_NOT_ALLOWED);
    }

    @Test
    void knownCustomerKeyIsAcceptedWhenAnyAllowedTypeLeadsToItsKind() {
        var domainOnly = engagement().identifierTypes(IdentifierType.DOMAIN);

        assertThat(codes(question().engagement(domainOnly).knownCustomer()
                .customer(customer(tenantKey()).build()).build()))
                .as("DOMAIN leads to a TENANT key").isEmpty();
        assertThat(codes(question().engagement(domainOnly).knownCustomer()
                .customer(customer(tpidKey()).build()).build()))
                .as("nothing allowed leads to a TPID key").containsExactly(ReasonCode.IDENTIFIER_TYPE_NOT_ALLOWED);
        assertThat(codes(question().engagement(engagement().identifierTypes(IdentifierType.AZURE_SUBSCRIPTION_ID))
                .knownCustomer().customer(customer(new CustomerKey(CustomerKey.Kind.SUBSCRIPTION,
                        "2b1d0c3e-5f6a-4b7c-8d9e-0f1a2b3c4d5e")).build()).build()))
                .isEmpty();
    }

    @Test
    void unknownCustomerKeyIsNotFound() {
        var withCriteria = engagement().criteria(criterion("seats", "customer.paidSeats >= 300"));

        assertThat(codes(question().engagement(withCriteria).unknownCustomer(tenantKey()).build()))
                .as("an unknown key is not found, and is not additionally reported as failing criteria")
                .containsExactly(ReasonCode.CUSTOMER_NOT_FOUND);
    }

    @Test
    void everyFailedCriterionIsNamed() {
        Decision decision = policy.decide(question()
                .engagement(engagement().criteria(
                        criterion("seats", "customer.paidSeats >= 300"),
                        criterion("segment", "customer.segment == 'SMB'"),
                        criterion("industry", "customer.industry == 'Retail'"),
                        criterion("usage", "customer.monthlyActiveUsers > 100")))
                .customer(customer(tenantKey()).segment("Enterprise").attribute("paidSeats", 299L)
                        .attribute("monthlyActiveUsers", 250L).build())
                .build());

        assertThat(decision.has(ReasonCode.CRITERIA_NOT_MET)).isTrue();
        assertThat(decision.has(ReasonCode.CUSTOMER_NOT_FOUND)).isFalse();
        assertThat(decision.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.code()).isEqualTo(ReasonCode.CRITERIA_NOT_MET);
            assertThat(reason.messageKey()).isEqualTo("eligibility.reason.CRITERIA_NOT_MET");
            assertThat(reason.failedCriteria()).containsExactly(
                    new Reason.FailedCriterion("seats", "message of seats"),
                    new Reason.FailedCriterion("segment", "message of segment"),
                    new Reason.FailedCriterion("industry", "message of industry"));
        });
    }

    @Test
    void customerWhoConsentedToAnotherPartnerIsIneligibleUntilThatConsentEnds() {
        Instant submissionDeadline = Instant.parse("2026-09-01T10:00:00Z");

        Decision held = policy.decide(question()
                .engagement(engagement().maxActiveClaimsPerCustomer(3))
                .market(new MarketFacts(submissionDeadline, false, 1, false)).build());
        Decision ended = policy.decide(question()
                .engagement(engagement().maxActiveClaimsPerCustomer(3))
                .market(new MarketFacts(null, false, 0, false)).build());

        assertThat(held.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.code()).isEqualTo(ReasonCode.CONSENTED_TO_ANOTHER_PARTNER);
            assertThat(reason.until()).as("shown until when").isEqualTo(submissionDeadline);
        });
        assertThat(ended.eligible()).isTrue();
    }

    @Test
    void customerEngagedWithAnotherPartnerIsIneligible() {
        assertThat(codes(question().engagement(engagement().maxActiveClaimsPerCustomer(3))
                .market(new MarketFacts(null, true, 1, false)).build()))
                .containsExactly(ReasonCode.ENGAGED_WITH_ANOTHER_PARTNER);
    }

    @Test
    void claimLimitCountsActiveClaimsOfAllPartners() {
        var limitTwo = engagement().maxActiveClaimsPerCustomer(2);

        assertThat(codes(question().engagement(limitTwo).market(new MarketFacts(null, false, 1, false)).build()))
                .as("one claim by another partner leaves room for one more").isEmpty();
        Decision full = policy.decide(question().engagement(limitTwo)
                .market(new MarketFacts(null, false, 2, false)).build());
        assertThat(full.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.code()).isEqualTo(ReasonCode.CLAIM_LIMIT_REACHED);
            assertThat(reason.limit()).isEqualTo(2);
        });
        assertThat(codes(question().engagement(limitTwo).market(new MarketFacts(null, false, 3, false)).build()))
                .containsExactly(ReasonCode.CLAIM_LIMIT_REACHED);
    }

    @Test
    void partnerWithActiveClaimIsAlreadyNominated() {
        assertThat(codes(question().engagement(engagement().maxActiveClaimsPerCustomer(5))
                .market(new MarketFacts(null, false, 1, true)).build()))
                .containsExactly(ReasonCode.ALREADY_NOMINATED);
        assertThat(codes(question().market(new MarketFacts(null, false, 1, true)).build()))
                .as("with the default limit of 1 the partner's own claim also fills the limit")
                .containsExactly(ReasonCode.CLAIM_LIMIT_REACHED, ReasonCode.ALREADY_NOMINATED);
    }

    @Test
    void allReasonsAreReturnedAtOnce() {
        Question failingFive = question()
                .engagement(engagement().claimWindow("2025-01-01", "2025-12-31").allowedCountries("TR")
                        .maxActiveClaimsPerCustomer(4)
                        .criteria(criterion("seats", "customer.paidSeats >= 300")))
                .location(location().country("NL").enrollment(Enrollment.SUSPENDED))
                .customer(customer(tenantKey()).attribute("paidSeats", 300L).build())
                .market(new MarketFacts(null, true, 1, true))
                .build();

        assertThat(codes(failingFive)).containsExactlyInAnyOrder(
                ReasonCode.ENGAGEMENT_NOT_AVAILABLE,
                ReasonCode.LOCATION_NOT_ENROLLED,
                ReasonCode.LOCATION_NOT_ELIGIBLE,
                ReasonCode.ENGAGED_WITH_ANOTHER_PARTNER,
                ReasonCode.ALREADY_NOMINATED);
        assertThat(policy.decide(failingFive).eligible()).isFalse();
    }

    /** What a read model keeps of a known customer's verdict gives the reasons its directory entry gave. */
    @Test
    void aKeptVerdictGivesTheReasonsOfTheEntryItWasMadeFromAndTheCriteriasCurrentNames() {
        Question asked = question()
                .engagement(engagement().identifierTypes(IdentifierType.TPID).criteria(
                        criterion("seats", "customer.paidSeats >= 300"),
                        criterion("segment", "customer.segment == 'SMB'"),
                        criterion("usage", "customer.monthlyActiveUsers > 100")))
                .location(location().enrollment(Enrollment.NOT_ENROLLED))
                .knownCustomer()
                .customer(customer(tenantKey()).segment("Enterprise").attribute("paidSeats", 299L)
                        .attribute("monthlyActiveUsers", 250L).build())
                .market(new MarketFacts(null, true, 0, false))
                .build();
        EligibilityPolicy.CustomerVerdict kept = policy.customerVerdict(asked.engagement(), asked.key(), asked.customer());
        Question withoutEntry = new Question(asked.engagement(), asked.location(), null, asked.key(),
                Optional.empty(), asked.market(), asked.now());

        assertThat(kept.failedCriteria()).containsExactly(0, 1);
        assertThat(policy.decide(withoutEntry, kept)).isEqualTo(policy.decide(asked));
        assertThat(codes(asked)).containsExactly(ReasonCode.LOCATION_NOT_ENROLLED,
                ReasonCode.IDENTIFIER_TYPE_NOT_ALLOWED, ReasonCode.CRITERIA_NOT_MET,
                ReasonCode.ENGAGED_WITH_ANOTHER_PARTNER);

        Question renamed = new Question(engagement().identifierTypes(IdentifierType.TPID).criteria(
                        criterion("paid seats", "customer.paidSeats >= 300"),
                        criterion("small business", "customer.segment == 'SMB'"),
                        criterion("usage", "customer.monthlyActiveUsers > 100")).build(),
                asked.location(), null, asked.key(), Optional.empty(), asked.market(), asked.now());
        assertThat(EligibilityPolicy.verdictBasis(renamed.engagement()))
                .isEqualTo(EligibilityPolicy.verdictBasis(asked.engagement()));
        assertThat(policy.decide(renamed, kept).reasons().stream().filter(r -> r.code() == ReasonCode.CRITERIA_NOT_MET)
                .flatMap(r -> r.failedCriteria().stream()).map(Reason.FailedCriterion::name))
                .containsExactly("paid seats", "small business");
    }

    @ParameterizedTest
    @EnumSource(value = Enrollment.class, names = {"ENROLLED", "SUSPENDED"})
    void aPageOfKnownCustomersIsDecidedAsEachCustomerAloneAndAlikeCustomersShareOneDecision(Enrollment enrollment) {
        Engagement engagement = engagement().identifierTypes(IdentifierType.TPID).maxActiveClaimsPerCustomer(2)
                .criteria(criterion("seats", "customer.paidSeats >= 300"),
                        criterion("segment", "customer.segment == 'SMB'"),
                        criterion("usage", "customer.monthlyActiveUsers > 100"))
                .build();
        Location location = location().enrollment(enrollment).build();
        EligibilityPolicy.KnownCustomerJudge judge = policy.knownCustomers(engagement, location, Fixtures.NOW);
        List<MarketFacts> markets = List.of(MarketFacts.NONE, new MarketFacts(null, true, 0, false),
                new MarketFacts(null, false, 1, false), new MarketFacts(null, false, 2, false),
                new MarketFacts(null, false, 0, true), new MarketFacts(Instant.parse("2026-07-01T00:00:00Z"), false, 1, false));
        List<List<Integer>> failed = List.of(List.of(), List.of(0), List.of(2), List.of(0, 2), List.of(0, 1, 2));

        for (boolean kindAllowed : new boolean[] {true, false}) {
            for (boolean found : new boolean[] {true, false}) {
                for (List<Integer> criteria : failed) {
                    for (MarketFacts market : markets) {
                        var verdict = new EligibilityPolicy.CustomerVerdict(kindAllowed, found, criteria);
                        Question alone = new Question(engagement, location, null, tpidKey(), Optional.empty(), market,
                                Fixtures.NOW);
                        Decision decided = judge.decide(verdict, market);

                        assertThat(decided).as("%s %s", verdict, market).isEqualTo(policy.decide(alone, verdict));
                        Decision again = judge.decide(new EligibilityPolicy.CustomerVerdict(kindAllowed, found,
                                List.copyOf(criteria)), new MarketFacts(market.otherConsentUntil(),
                                market.engagedElsewhere(), market.activeClaims(), market.nominatedByPartner()));
                        if (market.otherConsentUntil() == null) {
                            assertThat(again).as("shared: %s %s", verdict, market).isSameAs(decided);
                        } else {
                            assertThat(again).as("decided alone: its reason carries a date").isEqualTo(decided)
                                    .isNotSameAs(decided);
                        }
                    }
                }
            }
        }
        var criteriaFailed = new EligibilityPolicy.CustomerVerdict(true, true, List.of(0, 2));
        assertThat(judge.decide(criteriaFailed, new MarketFacts(null, false, 3, false)))
                .as("any count at the limit or above reads the same")
                .isSameAs(judge.decide(criteriaFailed, new MarketFacts(null, false, 2, false)));
        assertThat(judge.decide(criteriaFailed, MarketFacts.NONE))
                .isNotSameAs(judge.decide(new EligibilityPolicy.CustomerVerdict(true, true, List.of(0)), MarketFacts.NONE));
    }

    @Test
    void allReasonsAreReturnedAtOnceIncludingCriteria() {
        Question failingFive = question()
                .engagement(engagement().identifierTypes(IdentifierType.TPID).eligibleLocations("4199999")
                        .criteria(criterion("seats", "customer.paidSeats >= 300")))
                .location(location().enrollment(Enrollment.NOT_ENROLLED))
                .nominatedAs(IdentifierType.TENANT_ID)
                .customer(customer(tenantKey()).attribute("paidSeats", 10L).build())
                .market(new MarketFacts(Instant.parse("2026-08-01T00:00:00Z"), false, 0, false))
                .build();

        assertThat(codes(failingFive)).containsExactlyInAnyOrder(
                ReasonCode.LOCATION_NOT_ENROLLED,
                ReasonCode.LOCATION_NOT_ELIGIBLE,
                ReasonCode.IDENTIFIER_TYPE_NOT_ALLOWED,
                ReasonCode.CRITERIA_NOT_MET,
                ReasonCode.CONSENTED_TO_ANOTHER_PARTNER);
    }

    /**
     * No cascade (SPEC §3): a tenant and its top parent are separate keys with separate directory
     * entries. The tenant's entry even carries the TPID number, yet each key is judged on its own
     * entry's attributes only.
     */
    @Test
    void eligibleTenantSaysNothingAboutItsFailingTpid() {
        var seats = engagement().criteria(criterion("seats", "customer.paidSeats >= 300"));
        DirectoryCustomer tenant = customer(tenantKey()).tpid(Long.parseLong(Fixtures.TPID))
                .attribute("paidSeats", 500L).build();
        DirectoryCustomer tpid = customer(tpidKey()).attribute("paidSeats", 20L).build();

        assertThat(codes(question().engagement(seats).nominatedAs(IdentifierType.TENANT_ID).customer(tenant).build()))
                .isEmpty();
        assertThat(codes(question().engagement(seats).nominatedAs(IdentifierType.TPID).customer(tpid).build()))
                .containsExactly(ReasonCode.CRITERIA_NOT_MET);
    }

    @Test
    void eligibleTpidSaysNothingAboutItsFailingTenant() {
        var seats = engagement().criteria(criterion("seats", "customer.paidSeats >= 300"));
        DirectoryCustomer tenant = customer(tenantKey()).tpid(Long.parseLong(Fixtures.TPID))
                .attribute("paidSeats", 20L).build();
        DirectoryCustomer tpid = customer(tpidKey()).attribute("paidSeats", 5000L).build();

        assertThat(codes(question().engagement(seats).nominatedAs(IdentifierType.TENANT_ID).customer(tenant).build()))
                .containsExactly(ReasonCode.CRITERIA_NOT_MET);
        assertThat(codes(question().engagement(seats).nominatedAs(IdentifierType.TPID).customer(tpid).build()))
                .isEmpty();
        assertThat(codes(question().engagement(seats).nominatedAs(IdentifierType.TENANT_ID)
                .unknownCustomer(CustomerKey.tenant("00000000-0000-4000-8000-000000000001")).build()))
                .as("an unknown tenant of a known, eligible TPID is still not found")
                .containsExactly(ReasonCode.CUSTOMER_NOT_FOUND);
    }
}
