package org.mciengagements.bootstrap;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.bootstrap.ProgramFiles.DeadlineSpec;
import org.mciengagements.bootstrap.ProgramFiles.EngagementSpec;
import org.mciengagements.bootstrap.ProgramFiles.LocationRoleSpec;
import org.mciengagements.bootstrap.ProgramFiles.LocationSpec;
import org.mciengagements.bootstrap.ProgramFiles.PartnerSpec;
import org.mciengagements.bootstrap.ProgramFiles.ProgramFile;
import org.mciengagements.bootstrap.ProgramFiles.UserSpec;
import org.mciengagements.directory.DirectoryImport;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementConfiguration;
import org.mciengagements.engagement.EngagementDraft;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.security.LocationRole;
import org.mciengagements.shared.ProgramClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads the program from {@code mci.program.location} into an empty database at start, in one
 * transaction: markets, partners and locations, users, the customer directory, engagements and,
 * when {@code mci.demo.enabled}, the demo claims. "Empty" means no partner yet; the check runs
 * under a transaction-scoped advisory lock, so servers starting together load it exactly once.
 * Any error in the files fails the start and leaves the database untouched. It runs once all beans
 * exist and before the web server accepts requests, so no request ever sees a half-empty program.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProgramLoader implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ProgramLoader.class);
    /** The actor the audit trail names for what the program file configured. */
    static final String PROGRAM_FILE = "program file";
    private static final long LOAD_LOCK = 0x4d43_4950_524fL; // "MCIPRO": one lock id for every server

    /** What one load wrote. */
    record Summary(int partners, int locations, int users, int engagements, int directoryCustomers, int domains,
                   int claims) {}

    private final ProgramFiles files;
    private final boolean demoEnabled;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final PasswordEncoder passwords;
    private final DirectoryImport directory;
    private final EngagementConfiguration engagements;
    private final DemoClaims demoClaims;
    private final ProgramClock clock;

    ProgramLoader(ResourceLoader resources, @Value("${mci.program.location:classpath:program/demo/}") String location,
                  @Value("${mci.demo.enabled:false}") boolean demoEnabled, JdbcClient jdbc,
                  PlatformTransactionManager transactions, PasswordEncoder passwords, DirectoryImport directory,
                  EngagementConfiguration engagements, DemoClaims demoClaims, ProgramClock clock) {
        this.files = new ProgramFiles(resources, location);
        this.demoEnabled = demoEnabled;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.passwords = passwords;
        this.directory = directory;
        this.engagements = engagements;
        this.demoClaims = demoClaims;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        load().ifPresentOrElse(
                s -> log.info("Program loaded from {}: {} partners, {} locations, {} users, {} engagements, "
                                + "{} directory customers ({} verified domains), {} demo claims",
                        files.location(), s.partners(), s.locations(), s.users(), s.engagements(),
                        s.directoryCustomers(), s.domains(), s.claims()),
                () -> log.info("Program already loaded; {} not read again", files.location()));
    }

    /** Loads the program unless the database already holds one; empty when it did nothing. */
    Optional<Summary> load() {
        return transaction.execute(status -> {
            jdbc.sql("select pg_advisory_xact_lock(?)").param(LOAD_LOCK).query(Object.class).single();
            if (jdbc.sql("select exists (select 1 from partner)").query(Boolean.class).single()) {
                return Optional.empty();
            }
            return Optional.of(loadInto());
        });
    }

    private Summary loadInto() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        ProgramFile program = files.program();

        program.markets().forEach((market, countries) -> countries.forEach(country ->
                jdbc.sql("insert into market_country (country, market) values (?, ?)")
                        .params(country(country, "market " + market), market.name()).update()));

        Map<String, String> partnerOfLocation = new HashMap<>();
        for (PartnerSpec partner : program.partners()) {
            require(partner.id(), "partner id");
            jdbc.sql("insert into partner (id, name) values (?, ?)")
                    .params(partner.id(), require(partner.name(), "name of partner " + partner.id())).update();
            for (LocationSpec location : partner.locations()) {
                if (location.id() == null || !location.id().matches("[0-9]{6,10}")) {
                    throw new IllegalStateException("Location ID of " + partner.id() + " must be 6-10 digits: "
                            + location.id());
                }
                // The program file states the enrollment as of loading, with its reason when it gives one.
                jdbc.sql("""
                                insert into location (id, partner_id, name, country, enrollment, enrollment_reason,
                                    enrollment_changed_at)
                                values (?, ?, ?, ?, ?, ?, ?)""")
                        .params(location.id(), partner.id(), require(location.name(), "name of location " + location.id()),
                                country(location.country(), "location " + location.id()),
                                require(location.enrollment(), "enrollment of location " + location.id()).name(),
                                location.enrollmentReason() == null || location.enrollmentReason().isBlank() ? null
                                        : location.enrollmentReason().strip(),
                                java.sql.Timestamp.from(now))
                        .update();
                partnerOfLocation.put(location.id(), partner.id());
            }
        }

        Set<String> partnerIds = new HashSet<>(program.partners().stream().map(PartnerSpec::id).toList());
        for (UserSpec user : program.users()) {
            saveUser(user, partnerIds, partnerOfLocation);
        }

        int customers = 0;
        int domains = 0;
        for (DirectoryImport.Kind kind : DirectoryImport.Kind.values()) {
            Optional<Resource> file = files.file(kind.fileName());
            if (file.isEmpty()) {
                continue;
            }
            DirectoryImport.Report report;
            try (Reader reader = new InputStreamReader(file.get().getInputStream(), StandardCharsets.UTF_8)) {
                report = directory.load(kind, reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!report.clean()) {
                throw new IllegalStateException(files.location() + kind.fileName() + " has " + report.problemCount()
                        + " problems: " + report.problems().stream().limit(20)
                        .map(p -> "row " + p.row() + (p.column().isEmpty() ? "" : " " + p.column()) + ": "
                                + p.code() + " " + p.reason())
                        .toList());
            }
            customers += Math.toIntExact(report.imported());
            domains += Math.toIntExact(report.domains());
        }

        List<String> refused = new ArrayList<>();
        for (EngagementSpec spec : program.engagements()) {
            try {
                engagements.put(PROGRAM_FILE, spec.id(), draft(spec, today), "new", now);
            } catch (ProblemException e) {
                refused.add("Engagement " + spec.id() + " (" + e.code() + "):" + describe(e));
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalStateException(files.location() + ProgramFiles.PROGRAM + " has invalid engagements:\n"
                    + String.join("\n", refused));
        }

        int claims = 0;
        if (demoEnabled) {
            claims = files.demoClaims().map(demo -> demoClaims.load(demo, now)).orElse(0);
        }
        return new Summary(program.partners().size(), partnerOfLocation.size(), program.users().size(),
                program.engagements().size(), customers, domains, claims);
    }

    private void saveUser(UserSpec user, Set<String> partnerIds, Map<String, String> partnerOfLocation) {
        String username = require(user.username(), "username");
        if (user.password() == null || user.password().isEmpty()) {
            throw new IllegalStateException("User " + username + " has no password");
        }
        if (user.partner() != null && !partnerIds.contains(user.partner())) {
            throw new IllegalStateException("User " + username + " belongs to unknown partner " + user.partner());
        }
        ZoneId.of(user.timeZone()); // an unknown zone fails here, not on the user's first page
        jdbc.sql("""
                        insert into app_user (username, password_hash, display_name, email, partner_id, time_zone, language)
                        values (?, ?, ?, ?, ?, ?, ?)""")
                .params(username, passwords.encode(user.password()), require(user.displayName(), "name of " + username),
                        require(user.email(), "email of " + username), user.partner(), user.timeZone(), user.language())
                .update();
        for (LocationRoleSpec grant : user.locationRoles()) {
            String owner = partnerOfLocation.get(grant.location());
            if (owner == null || !owner.equals(user.partner())) {
                throw new IllegalStateException("User " + username + " gets roles on location " + grant.location()
                        + ", which is not a location of their partner");
            }
            for (LocationRole role : grant.roles()) {
                jdbc.sql("insert into user_location_role (username, location_id, role) values (?, ?, ?)")
                        .params(username, grant.location(), role.name()).update();
            }
        }
        for (GlobalRole role : user.globalRoles()) {
            boolean partnerRole = role == GlobalRole.REFERRAL_ADMIN;
            if (partnerRole != (user.partner() != null)) {
                throw new IllegalStateException("User " + username + ": " + role
                        + (partnerRole ? " is for partner users" : " is for vendor staff, who have no partner"));
            }
            jdbc.sql("insert into user_role (username, role) values (?, ?)").params(username, role.name()).update();
        }
    }

    /**
     * An engagement of the program file as a draft, checked and saved through the same
     * configuration path as the operator's pages: every problem of every engagement is reported.
     */
    private EngagementDraft draft(EngagementSpec spec, LocalDate today) {
        String what = "Engagement " + spec.id();
        Map<String, BigDecimal> payouts = new TreeMap<>();
        spec.fixedPayouts().forEach((market, amount) -> payouts.put(market.name(), amount));
        DeadlineSpec d = spec.deadlines();
        ReferralPolicy referral = spec.referralPolicy();
        return new EngagementDraft(spec.name(), spec.description(), spec.solutionArea(), name(spec.type()),
                dayOrNull(spec.firstClaimDay(), today, what + " firstClaimDay"),
                dayOrNull(spec.lastClaimDay(), today, what + " lastClaimDay"), name(spec.paymentModel()),
                spec.identifierTypes().stream().map(Enum::name).toList(), List.copyOf(spec.allowedCountries()),
                List.copyOf(spec.eligibleLocationIds()), spec.maxActiveClaimsPerCustomer(),
                d == null ? null : new EngagementDraft.DeadlineDraft(d.consentDays(), d.firstSubmissionDays(),
                        d.reviewDays(), d.disputeDays(), d.actionRequiredDays()),
                spec.criteria(), payouts,
                spec.rateCards().stream().map(card -> {
                    Map<String, BigDecimal> rates = new TreeMap<>();
                    card.rates().forEach((market, rate) -> rates.put(market.name(), rate));
                    return new EngagementDraft.RateCardDraft(
                            dayOrNull(card.effectiveFrom(), today, what + " effectiveFrom"), card.maxHours(),
                            card.capPercent(), rates);
                }).toList(),
                referral == null ? null
                        : new EngagementDraft.ReferralDraft(referral.enabled(), referral.condition(),
                                referral.coSellCondition()));
    }

    private static String dayOrNull(String written, LocalDate today, String what) {
        return written == null || written.isBlank() ? null : ProgramFiles.day(written, today, what).toString();
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static String describe(ProblemException e) {
        StringBuilder text = new StringBuilder();
        for (ProblemException.FieldProblem problem : e.fieldProblems()) {
            text.append("\n  ").append(problem.field()).append(": ").append(problem.code());
            if (!problem.args().isEmpty()) {
                text.append(" ").append(problem.args());
            }
        }
        return text.toString();
    }

    private static String country(String country, String what) {
        if (country == null || !country.matches("[A-Z]{2}")) {
            throw new IllegalStateException(what + ": country must be a two-letter upper-case ISO code: " + country);
        }
        return country;
    }

    private static <T> T require(T value, String what) {
        if (value == null || value instanceof String text && text.isBlank()) {
            throw new IllegalStateException(what + " is required");
        }
        return value;
    }
}
