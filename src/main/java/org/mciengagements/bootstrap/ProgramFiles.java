package org.mciengagements.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.Deadlines;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.Market;
import org.mciengagements.referral.ReferralDecision;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.security.LocationRole;
import org.mciengagements.shared.IdentifierType;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The files of a program location: {@code program.yaml}, the directory CSV files and, for the
 * demo, {@code demo-claims.yaml}. The YAML is bound onto the records below with Spring Boot's
 * binder; an unknown key is an error rather than silently ignored, so a typo in an operator's
 * file is caught at start.
 */
final class ProgramFiles {

    static final String PROGRAM = "program.yaml";
    static final String DEMO_CLAIMS = "demo-claims.yaml";

    private final ResourceLoader resources;
    private final String location;

    ProgramFiles(ResourceLoader resources, String location) {
        this.resources = resources;
        this.location = location.endsWith("/") ? location : location + "/";
    }

    String location() {
        return location;
    }

    Optional<Resource> file(String name) {
        Resource resource = resources.getResource(location + name);
        return resource.exists() ? Optional.of(resource) : Optional.empty();
    }

    ProgramFile program() {
        Resource resource = file(PROGRAM).orElseThrow(() ->
                new IllegalStateException("No " + PROGRAM + " at " + location + " (mci.program.location)"));
        return bind(resource, "program", ProgramFile.class);
    }

    Optional<DemoFile> demoClaims() {
        return file(DEMO_CLAIMS).map(resource -> bind(resource, "demo", DemoFile.class));
    }

    private static <T> T bind(Resource resource, String root, Class<T> type) {
        try {
            var sources = new YamlPropertySourceLoader().load(resource.getDescription(), resource);
            return new Binder(ConfigurationPropertySources.from(sources))
                    .bind(root, Bindable.of(type), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                    .orElseThrow(() -> new IllegalStateException(resource.getDescription() + " has no " + root + ":"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot read " + resource.getDescription() + ": " + rootCause(e), e);
        }
    }

    private static String rootCause(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" / ").append(cause.getMessage());
        }
        return text.toString();
    }

    /**
     * A day written either as an ISO date or as a number of days relative to the load date, so
     * that a demo's claim windows stay current whenever it is first started.
     */
    static LocalDate day(String written, LocalDate today, String what) {
        if (written == null || written.isBlank()) {
            throw new IllegalStateException(what + " is required");
        }
        String text = written.strip();
        if (text.matches("[+-]?[0-9]{1,6}")) {
            return today.plusDays(Integer.parseInt(text));
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(what + " is neither a date nor a number of days: " + written);
        }
    }

    // ------------------------------------------------------------------ program.yaml

    record ProgramFile(@DefaultValue Map<Market, List<String>> markets, @DefaultValue List<PartnerSpec> partners,
                       @DefaultValue List<UserSpec> users, @DefaultValue List<EngagementSpec> engagements) {}

    record PartnerSpec(String id, String name, @DefaultValue List<LocationSpec> locations) {}

    /** {@code enrollmentReason}: why the location is suspended or not enrolled, shown to its partner. */
    record LocationSpec(String id, String name, String country, Enrollment enrollment, String enrollmentReason) {}

    /** A user; {@code partner} is absent for vendor staff. {@code password} is hashed at load. */
    record UserSpec(String username, String displayName, String email, String partner,
                    @DefaultValue("UTC") String timeZone, @DefaultValue("en") String language, String password,
                    @DefaultValue List<LocationRoleSpec> locationRoles, @DefaultValue Set<GlobalRole> globalRoles) {}

    record LocationRoleSpec(String location, @DefaultValue Set<LocationRole> roles) {}

    /** Every field of SPEC §4; days are relative or ISO dates, deadlines default per type. */
    record EngagementSpec(String id, String name, String description, String solutionArea, EngagementType type,
                          String firstClaimDay, String lastClaimDay, PaymentModel paymentModel,
                          @DefaultValue Set<IdentifierType> identifierTypes, @DefaultValue Set<String> allowedCountries,
                          @DefaultValue Set<String> eligibleLocationIds,
                          @DefaultValue("1") int maxActiveClaimsPerCustomer, DeadlineSpec deadlines,
                          @DefaultValue List<Criterion> criteria, @DefaultValue Map<Market, BigDecimal> fixedPayouts,
                          @DefaultValue List<RateCardSpec> rateCards, ReferralPolicy referralPolicy) {}

    /** Deadline overrides in days; each one left out takes the engagement type's default. */
    record DeadlineSpec(Integer consentDays, Integer firstSubmissionDays, Integer reviewDays, Integer disputeDays,
                        Integer actionRequiredDays) {

        Deadlines over(Deadlines defaults) {
            return new Deadlines(
                    consentDays != null ? consentDays : defaults.consentDays(),
                    firstSubmissionDays != null ? firstSubmissionDays : defaults.firstSubmissionDays(),
                    reviewDays != null ? reviewDays : defaults.reviewDays(),
                    disputeDays != null ? disputeDays : defaults.disputeDays(),
                    actionRequiredDays != null ? actionRequiredDays : defaults.actionRequiredDays());
        }
    }

    record RateCardSpec(String effectiveFrom, int maxHours, BigDecimal capPercent,
                        @DefaultValue Map<Market, BigDecimal> rates) {}

    // ------------------------------------------------------------------ demo-claims.yaml

    /** Demo claims and the vendor reviewer who acted on them. */
    record DemoFile(String reviewer, @DefaultValue List<ClaimSpec> claims) {}

    /**
     * One demo claim, described by where it ended up. {@code identifier} is written
     * {@code TYPE:value}; {@code daysAgo} is when it was created; the statuses it went through are
     * {@code path} when given, else the usual way to {@code status}; {@code gaps} overrides the days
     * between one status and the next (keyed by the status entered). {@code referral} lists decisions
     * taken on the referral the claim made, in order, each by a user and some days after the one before.
     */
    record ClaimSpec(String engagement, String location, String by, @DefaultValue("ADD") String origin,
                     String friendlyName, String identifier, ClaimStatus status, int daysAgo,
                     @DefaultValue List<ClaimStatus> path, @DefaultValue Map<ClaimStatus, Integer> gaps,
                     BigDecimal dealSize, Integer hours, String reason, ContactSpec customerContact,
                     @DefaultValue List<ReferralStep> referral) {}

    /** A decision on a demo claim's referral: by whom, and how many days after the step before. */
    record ReferralStep(ReferralDecision decision, String by, @DefaultValue("2") int days, String comment) {}

    record ContactSpec(String name, String email, String phone, String language) {}
}
