package org.mciengagements.bootstrap;

import static org.mciengagements.claim.ClaimStatus.APPROVED;
import static org.mciengagements.claim.ClaimStatus.AWAITING_CONSENT;
import static org.mciengagements.claim.ClaimStatus.CANCELED;
import static org.mciengagements.claim.ClaimStatus.COMPLETED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_DECLINED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_RECEIVED;
import static org.mciengagements.claim.ClaimStatus.CUSTOMER_CLAIMED;
import static org.mciengagements.claim.ClaimStatus.DISPUTED;
import static org.mciengagements.claim.ClaimStatus.DISPUTE_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.NOT_SUBMITTED_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.PARTNER_ACTION_REQUIRED;
import static org.mciengagements.claim.ClaimStatus.POST_SUBMISSION_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.REJECTED;
import static org.mciengagements.claim.ClaimStatus.REJECTED_FINAL;
import static org.mciengagements.claim.ClaimStatus.SUBMITTED;
import static org.mciengagements.claim.ClaimStatus.UNDER_REVIEW;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.sql.DataSource;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.Deadlines;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.engagement.RateCard;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.Location;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.program.Market;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.shared.ProgramClock;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A large program for measuring the service at scale ({@code docs/benchmarks.md}): with
 * {@code mci.demo.scale=N} a start on a database without it adds, on top of the program files,
 * N claims with their history across at least 20 engagements, N/5 directory customers, up to 500
 * partners with locations and an administrator each, and the known customers the consents leave.
 * Contoso, the demo's first partner, gets about 8% of the claims, so that it has N/50 or more known
 * customers (20,000 at a million claims).
 *
 * <p>Deterministic: one seeded random stream drives every choice, and times are offsets from the
 * program clock's instant at generation, so the same seed and instant give the same rows;
 * {@link Summary#digest} fingerprints every row written. Rows go in with {@code COPY}. Every claim
 * follows the {@link ClaimStatus} transition table from its creation, with the stamps and deadlines
 * each step leaves, expiries exactly at their deadline and active claims
 * with their next deadline ahead. Each (engagement, customer key) slot has one claim, or a
 * pre-consent ending of another partner beside it, or an expired claim of the same partner that
 * the claim was started from ({@code previous_claim_id}); so the schema's invariants (one active
 * claim per partner, one consent holder, the active-claim limit, one successor) hold by
 * construction, and the database checks them as the rows go in. A tenth of the tenants get no
 * claims at all and meet every criterion: the benchmarks nominate them.
 *
 * <p>Generated claims carry no referrals, submissions' documents or mails: the benchmarks do not
 * read them, and the generator stays minutes, not hours.
 */
@Component
class ScaleProgram implements SmartInitializingSingleton, ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ScaleProgram.class);
    static final long SEED = 0x5CA1E_2026L;
    /** The partner whose presence says the scale program is in the database. */
    static final String MARKER_PARTNER = "p0003";

    private final long scale;
    private final boolean exitAfterwards;
    private final ProgramLoader loader;
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final EngagementCatalog catalog;
    private final PasswordEncoder passwords;
    private final JsonMapper json;
    private final ProgramClock clock;
    private final ProgramDirectory program;

    ScaleProgram(@Value("${mci.demo.scale:0}") long scale, @Value("${mci.demo.scale-exit:false}") boolean exitAfterwards,
                 ProgramLoader loader, DataSource dataSource,
                 JdbcClient jdbc, EngagementCatalog catalog, PasswordEncoder passwords, JsonMapper json,
                 ProgramClock clock, ProgramDirectory program) {
        this.program = program;
        this.scale = scale;
        this.exitAfterwards = exitAfterwards;
        this.loader = loader;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.passwords = passwords;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (scale <= 0) {
            return;
        }
        loader.load(); // the program files first, whichever of the two runs first
        if (generated()) {
            log.info("Scale program already in the database; not generated again");
            return;
        }
        long started = System.nanoTime();
        Summary summary = generate(scale, clock.instant());
        generatedAtStart = summary;
        log.info("Scale program generated in {} s: {}", (System.nanoTime() - started) / 1_000_000_000, summary);
    }

    /** With {@code mci.demo.scale-exit=true} the start only generates: the service stops once it is ready. */
    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (scale > 0 && exitAfterwards) {
            log.info("Scale program ready; stopping (mci.demo.scale-exit)");
            System.exit(SpringApplication.exit(event.getApplicationContext()));
        }
    }

    java.util.Optional<Summary> generatedAtStart() {
        return java.util.Optional.ofNullable(generatedAtStart);
    }

    boolean generated() {
        return jdbc.sql("select exists (select 1 from partner where id = ?)").param(MARKER_PARTNER)
                .query(Boolean.class).single();
    }

    /** The sizes of a program of {@code claims} claims. */
    record Sizes(long claims, int customers, int partners) {
        static Sizes of(long claims) {
            return new Sizes(claims, (int) Math.max(2_000, claims / 5), (int) Math.max(10, Math.min(500, claims / 2_000)));
        }

        int tenants() {
            return customers * 70 / 100;
        }

        int freshTenants() {
            return tenants() / 10;
        }

        int tpids() {
            return customers * 15 / 100;
        }

        int subscriptions() {
            return customers * 10 / 100;
        }

        int opportunities() {
            return customers - tenants() - tpids() - subscriptions();
        }
    }

    /** What a generation at {@code now} wrote, and the SHA-256 of every row in the order written. */
    record Summary(Instant now, long claims, long history, int customers, int partners, int engagements,
                   long knownCustomers, long firstClaimId, String digest) {}

    /** What the generation at start wrote, if it ran. */
    private volatile Summary generatedAtStart;

    /** Generates the program into the database: engagements through the catalog, the rest with COPY in one transaction. */
    Summary generate(long claims, Instant now) {
        for (Engagement engagement : engagements(LocalDate.ofInstant(now, ZoneOffset.UTC))) {
            catalog.save(engagement, now);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long firstClaimId = jdbc.sql("select coalesce(max(id), 100000) + 1 from claim").query(Long.class).single();
            Sink sink = new CopySink(connection.unwrap(PGConnection.class));
            Counts counts = write(Sizes.of(claims), now, firstClaimId, sink);
            try (Statement statement = connection.createStatement()) {
                statement.execute("select setval(pg_get_serial_sequence('claim', 'id'), (select max(id) from claim))");
                // The known customers the consents leave: the latest consent of each partner and key.
                statement.execute("""
                        insert into known_customer (partner_id, customer_key, identifier_type, identifier_value,
                            customer_name, last_claim_id, consented_at)
                        select distinct on (partner_id, customer_key) partner_id, customer_key, identifier_type,
                               identifier_value, customer_name, id, consent_received_at
                        from claim where id >= %d and consent_received_at is not null
                        order by partner_id, customer_key, consent_received_at desc, id desc
                        on conflict (partner_id, customer_key) do nothing""".formatted(firstClaimId));
            }
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("vacuum analyze");
            }
            long known = jdbc.sql("select count(*) from known_customer").query(Long.class).single();
            return new Summary(now, counts.claims, counts.history, Sizes.of(claims).customers(), Sizes.of(claims).partners(),
                    catalog.all().size(), known, firstClaimId, sink.digest());
        } catch (SQLException e) {
            throw new IllegalStateException("Generating the scale program failed: " + e.getMessage(), e);
        }
    }

    /** The digest {@link #generate} would report, computed without writing anything. */
    String digest(long claims, Instant now, long firstClaimId) {
        Sink sink = new Sink();
        write(Sizes.of(claims), now, firstClaimId, sink);
        return sink.digest();
    }

    // ------------------------------------------------------------------ rows

    /**
     * Receives COPY text rows per table; the base class only fingerprints them. Rows of a second
     * table can be spooled while the first is written (history while claims are), then drained.
     */
    static class Sink {
        private final MessageDigest digest = sha256();
        private final MessageDigest spooled = sha256();

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void begin(String table, String columns) {
            digest.update((table + "(" + columns + ")\n").getBytes(StandardCharsets.UTF_8));
        }

        void row(StringBuilder row) {
            digest.update(row.toString().getBytes(StandardCharsets.UTF_8));
        }

        /** A row with a salted value: the digest sees {@code fingerprinted}, the table gets {@code written}. */
        void row(StringBuilder fingerprinted, StringBuilder written) {
            row(fingerprinted);
        }

        void end() {}

        void spool(StringBuilder row) {
            spooled.update(row.toString().getBytes(StandardCharsets.UTF_8));
        }

        void drain(String table, String columns) {}

        String digest() {
            digest.update(spooled.digest());
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Streams the rows into the database with COPY as they are made; spooled rows go through a temporary file. */
    private static final class CopySink extends Sink {
        private final PGConnection connection;
        private final StringBuilder buffer = new StringBuilder(1 << 20);
        private CopyIn copy;
        private java.nio.file.Path spoolFile;
        private java.io.Writer spool;

        CopySink(PGConnection connection) {
            this.connection = connection;
        }

        @Override
        void begin(String table, String columns) {
            super.begin(table, columns);
            try {
                copy = connection.getCopyAPI().copyIn("copy " + table + " (" + columns + ") from stdin");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void row(StringBuilder row) {
            super.row(row);
            append(row);
        }

        @Override
        void row(StringBuilder fingerprinted, StringBuilder written) {
            super.row(fingerprinted);
            append(written);
        }

        private void append(StringBuilder row) {
            buffer.append(row);
            if (buffer.length() > (1 << 20) - 4096) {
                flush();
            }
        }

        private void flush() {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            try {
                copy.writeToCopy(bytes, 0, bytes.length);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            buffer.setLength(0);
        }

        @Override
        void end() {
            flush();
            try {
                copy.endCopy();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        void spool(StringBuilder row) {
            super.spool(row);
            try {
                if (spool == null) {
                    spoolFile = java.nio.file.Files.createTempFile("mci-scale-", ".copy");
                    spool = java.nio.file.Files.newBufferedWriter(spoolFile, StandardCharsets.UTF_8);
                }
                spool.append(row);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        void drain(String table, String columns) {
            if (spool == null) {
                return;
            }
            try {
                spool.close();
                try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(spoolFile, StandardCharsets.UTF_8)) {
                    connection.getCopyAPI().copyIn("copy " + table + " (" + columns + ") from stdin", reader, 1 << 20);
                }
                java.nio.file.Files.delete(spoolFile);
            } catch (java.io.IOException | SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            spool = null;
        }
    }

    /** One COPY text row. */
    private static final class Row {
        private final StringBuilder text = new StringBuilder(512);

        Row add(Object value) {
            if (!text.isEmpty()) {
                text.append('\t');
            }
            if (value == null) {
                text.append("\\N");
                return this;
            }
            String s = value.toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\t' -> text.append("\\t");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(c);
                }
            }
            return this;
        }

        StringBuilder end() {
            return text.append('\n');
        }
    }

    private static final class Counts {
        long claims;
        long history;
    }

    // ------------------------------------------------------------------ the program

    private static final String[] NAME_FIRST = {"Adatum", "Alpine", "Bellows", "Blue Yonder", "Coho", "Consolidated",
            "Datum", "Fabrikam", "Fourth", "Graphic", "Humongous", "Lamna", "Liberty", "Litware", "Lucerne", "Margie",
            "Nod", "Northwind", "Proseware", "Relecloud", "Southridge", "Tailspin", "Trey", "VanArsdel", "Wide World",
            "Wingtip", "Woodgrove", "Contoso", "Baltic", "Anatolia", "Rhine", "Hudson", "Cascade", "Meridian", "Harbor",
            "Summit", "Polder", "Bosphorus", "Atlas", "Orion"};
    private static final String[] NAME_SECOND = {"Bank", "Logistics", "Pharmaceuticals", "Foods", "Energy", "Airlines",
            "Retail", "Hospital", "Insurance", "Manufacturing", "Media", "Motors", "Textiles", "Telecom", "Studios",
            "Construction", "Chemicals", "Shipping", "Hotels", "University", "Municipality", "Labs", "Systems",
            "Outdoor", "Wholesale"};
    private static final String[] NAME_PLACE = {"Amsterdam", "Rotterdam", "Utrecht", "Istanbul", "Ankara", "Izmir",
            "Berlin", "Munich", "Hamburg", "Seattle", "Chicago", "Austin", "Boston", "Toronto", "London", "Dublin",
            "Paris", "Madrid", "Warsaw", "Prague", "Stockholm", "Oslo", "Sydney", "Tokyo", "Mumbai", "São Paulo",
            "Mexico City", "Cape Town", "Dubai", "Seoul"};
    private static final String[] COUNTRIES = {"NL", "NL", "NL", "TR", "TR", "TR", "DE", "DE", "US", "US", "US", "US",
            "GB", "IE", "FR", "ES", "PL", "CZ", "SE", "AU", "JP", "IN", "BR", "MX", "ZA", "AE", "KR", "CA"};
    private static final String[] INDUSTRIES = {"Retail", "Manufacturing", "Financial Services", "Healthcare",
            "Public Sector", "Education", "Energy", "Media", "Software", "Transportation"};
    private static final String[] SEGMENTS = {"SMB", "SMB", "SMB", "SMC", "SMC", "Enterprise"};
    private static final String[] FIRST_NAMES = {"Sanne", "Daan", "Lotte", "Bram", "Elif", "Mehmet", "Zeynep", "Emre",
            "Lena", "Jonas", "Mia", "Felix", "Emily", "James", "Olivia", "Daniel", "Grace", "Michael", "Sofia", "Lucas"};
    private static final String[] LAST_NAMES = {"Visser", "Meijer", "Bos", "Mulder", "Kaya", "Öztürk", "Arslan",
            "Şahin", "Schmidt", "Becker", "Wagner", "Hoffmann", "Carter", "Miller", "Brooks", "Reed", "Turner", "Hayes",
            "García", "Novak"};

    private record Spec(String id, String name, String area, EngagementType type, PaymentModel model,
                        Set<IdentifierType> types, int maxActive, List<Criterion> criteria) {}

    private static final List<Spec> ENGAGEMENTS = List.of(
            new Spec("defender-xdr-deployment", "Defender XDR Deployment", "Security", EngagementType.PROJECT_S,
                    PaymentModel.FIXED, Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID), 1,
                    List.of(seats(200))),
            new Spec("intune-endpoint-modernization", "Intune Endpoint Modernization", "Modern Work",
                    EngagementType.PROJECT_XS, PaymentModel.FIXED, Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID),
                    1, List.of(seats(100), usage(50))),
            new Spec("purview-data-governance", "Purview Data Governance Assessment", "Security",
                    EngagementType.ASSESSMENT, PaymentModel.FIXED,
                    Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID, IdentifierType.TPID), 2, List.of(seats(300))),
            new Spec("sentinel-siem-migration", "Sentinel SIEM Migration", "Security", EngagementType.PROJECT_M,
                    PaymentModel.FIXED, Set.of(IdentifierType.TENANT_ID, IdentifierType.AZURE_SUBSCRIPTION_ID), 1,
                    List.of(azure(500))),
            new Spec("windows-365-cloud-pc", "Windows 365 Cloud PC Project", "Modern Work", EngagementType.PROJECT_S,
                    PaymentModel.FIXED, Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID), 1, List.of(seats(50))),
            new Spec("teams-rooms-deployment", "Teams Rooms Deployment", "Modern Work", EngagementType.PROJECT_XS,
                    PaymentModel.FIXED, Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID), 1,
                    List.of(seats(150), usage(100))),
            new Spec("viva-employee-experience", "Viva Employee Experience Workshop", "Modern Work",
                    EngagementType.WORKSHOP, PaymentModel.FIXED, Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID),
                    1, List.of(seats(500))),
            new Spec("fabric-analytics-envisioning", "Fabric Analytics Envisioning", "Data & AI",
                    EngagementType.WORKSHOP, PaymentModel.FIXED,
                    Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID, IdentifierType.TPID), 1,
                    List.of(seats(100))),
            new Spec("aks-app-modernization", "AKS App Modernization", "Apps & Infrastructure", EngagementType.PROJECT_L,
                    PaymentModel.FIXED, Set.of(IdentifierType.AZURE_SUBSCRIPTION_ID), 1, List.of(azure(2000))),
            new Spec("azure-landing-zone", "Azure Landing Zone Assessment", "Apps & Infrastructure",
                    EngagementType.ASSESSMENT, PaymentModel.FIXED,
                    Set.of(IdentifierType.TENANT_ID, IdentifierType.AZURE_SUBSCRIPTION_ID), 2, List.of()),
            new Spec("copilot-studio-agents", "Copilot Studio Agents Workshop", "Data & AI", EngagementType.WORKSHOP,
                    PaymentModel.FIXED, Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID), 1,
                    List.of(seats(250), usage(200))),
            new Spec("exchange-online-migration", "Exchange Online Migration", "Modern Work", EngagementType.PROJECT_M,
                    PaymentModel.FIXED, Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID, IdentifierType.TPID), 1,
                    List.of(seats(50))),
            new Spec("dynamics-sales-accelerator", "Dynamics 365 Sales Accelerator", "Business Applications",
                    EngagementType.PROJECT_S, PaymentModel.FIXED, Set.of(IdentifierType.TPID), 1,
                    List.of(new Criterion("Segment", "customer.segment != \"SMB\"",
                            "The customer is a corporate or enterprise account."))),
            new Spec("power-platform-adoption", "Power Platform Adoption Workshop", "Business Applications",
                    EngagementType.WORKSHOP, PaymentModel.FIXED,
                    Set.of(IdentifierType.DOMAIN, IdentifierType.TENANT_ID, IdentifierType.TPID), 1,
                    List.of(seats(20))),
            new Spec("azure-openai-solution-build", "Azure OpenAI Solution Build", "Data & AI", EngagementType.PROJECT_L,
                    PaymentModel.VARIABLE, Set.of(IdentifierType.MSX_OPPORTUNITY_ID), 1,
                    List.of(new Criterion("Opportunity size", "customer.estimatedValueUsd >= 75000.0",
                            "The opportunity is worth at least 75,000 USD."))),
            new Spec("mainframe-to-azure", "Mainframe to Azure Migration", "Apps & Infrastructure",
                    EngagementType.PROJECT_XL, PaymentModel.VARIABLE, Set.of(IdentifierType.MSX_OPPORTUNITY_ID), 1,
                    List.of(new Criterion("Open opportunity", "customer.opportunityState == \"OPEN\"",
                            "The opportunity is open."))));

    private static Criterion seats(int n) {
        return new Criterion("Paid seats", "customer.paidSeats >= " + n, "The customer has at least " + n + " paid seats.");
    }

    private static Criterion usage(int n) {
        return new Criterion("Active usage", "customer.monthlyActiveUsers >= " + n,
                "The customer has at least " + n + " monthly active users.");
    }

    private static Criterion azure(int usd) {
        return new Criterion("Azure consumption", "customer.azureMonthlyConsumptionUsd >= " + usd + ".0",
                "The customer consumes at least " + usd + " USD of Azure a month.");
    }

    /** The generated engagements: claimable for the last two years and the next. */
    static List<Engagement> engagements(LocalDate today) {
        List<Engagement> engagements = new ArrayList<>();
        for (Spec spec : ENGAGEMENTS) {
            boolean variable = spec.model() == PaymentModel.VARIABLE;
            Map<Market, BigDecimal> payouts = variable ? Map.of() : Map.of(Market.A, BigDecimal.valueOf(6000),
                    Market.B, BigDecimal.valueOf(4000), Market.C, BigDecimal.valueOf(2500));
            List<RateCard> cards = variable ? List.of(new RateCard(today.minusDays(800), 400, new BigDecimal("15.00"),
                    new BigDecimal("180.00"), new BigDecimal("140.00"), new BigDecimal("95.00"))) : List.of();
            engagements.add(new Engagement(spec.id(), spec.name(),
                    spec.name() + ": funded delivery for customers that meet the program's criteria.", spec.area(),
                    spec.type(), today.minusDays(730), today.plusDays(365), spec.model(), spec.types(), Set.of(), Set.of(),
                    spec.maxActive(), spec.type().defaultDeadlines(), spec.criteria(), payouts, cards,
                    ReferralPolicy.off()));
        }
        return engagements;
    }

    /** A customer of the generated directory, as claims need it. */
    private record Customer(CustomerKey key, String name, String country, String domain, BigDecimal value) {}

    /** A partner's claiming side: its enrolled locations and the user who makes its claims. */
    private record PartnerSide(String id, List<Location> locations, String username, String displayName, String email) {}

    /** Writes directory, partners and claims in one random stream. */
    private Counts write(Sizes sizes, Instant now, long firstClaimId, Sink sink) {
        SplittableRandom random = new SplittableRandom(SEED);
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        Map<CustomerKey.Kind, List<Customer>> pools = directory(sizes, random, sink);
        List<PartnerSide> partners = partners(sizes, random, sink);
        return claims(sizes, day, now, firstClaimId, pools, partners, random, sink);
    }

    private static String company(SplittableRandom random) {
        return NAME_FIRST[random.nextInt(NAME_FIRST.length)] + " " + NAME_SECOND[random.nextInt(NAME_SECOND.length)]
                + " " + NAME_PLACE[random.nextInt(NAME_PLACE.length)];
    }

    private static String slug(String name) {
        String ascii = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The directory: tenants (the last tenth fresh), TPIDs, subscriptions and opportunities. */
    private Map<CustomerKey.Kind, List<Customer>> directory(Sizes sizes, SplittableRandom random, Sink sink) {
        Map<CustomerKey.Kind, List<Customer>> pools = new EnumMap<>(CustomerKey.Kind.class);
        String columns = "customer_key, display_name, country, tpid, owner_tenant_id, segment, estimated_value_usd, "
                + "opportunity_state, attributes";
        List<Customer> tpids = new ArrayList<>();
        sink.begin("directory_customer", columns);
        for (int i = 0; i < sizes.tpids(); i++) {
            long tpid = 4_000_000L + i;
            String name = company(random) + " Group";
            String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
            int seats = seats(random);
            String attributes = "{\"paidSeats\": " + seats + ", \"monthlyActiveUsers\": " + activeUsers(seats, random)
                    + ", \"coSellEligible\": " + (random.nextInt(4) == 0) + "}";
            sink.row(new Row().add("TPID:" + tpid).add(name).add(country).add(null).add(null)
                    .add(SEGMENTS[random.nextInt(SEGMENTS.length)]).add(null).add(null).add(attributes).end());
            tpids.add(new Customer(new CustomerKey(CustomerKey.Kind.TPID, Long.toString(tpid)), name, country, null, null));
        }
        List<Customer> tenants = new ArrayList<>();
        List<Customer> fresh = new ArrayList<>();
        int regular = sizes.tenants() - sizes.freshTenants();
        for (int i = 0; i < sizes.tenants(); i++) {
            boolean isFresh = i >= regular;
            String id = uuid("scale-tenant-" + i);
            String name = company(random);
            String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
            Long tpid = random.nextInt(10) < 4 ? 4_000_000L + random.nextInt(sizes.tpids()) : null;
            int seats = isFresh ? 5_000 + random.nextInt(4_000) : seats(random);
            int users = isFresh ? 4_000 + random.nextInt(1_000) : activeUsers(seats, random);
            double azure = isFresh ? 20_000 + random.nextInt(20_000)
                    : Math.min(19_999, Math.round(Math.exp(random.nextDouble() * 10) * 100) / 100.0);
            String attributes = "{\"paidSeats\": " + seats + ", \"monthlyActiveUsers\": " + users
                    + ", \"industry\": \"" + INDUSTRIES[random.nextInt(INDUSTRIES.length)] + "\", \"coSellEligible\": "
                    + (isFresh || random.nextInt(4) == 0) + ", \"azureMonthlyConsumptionUsd\": " + azure + "}";
            String domain = slug(name) + "-" + Integer.toString(i, 36) + ".example";
            sink.row(new Row().add("TENANT:" + id).add(name).add(country).add(tpid).add(null).add(null).add(null)
                    .add(null).add(attributes).end());
            (isFresh ? fresh : tenants).add(new Customer(CustomerKey.tenant(id), name, country, domain, null));
        }
        List<Customer> subscriptions = new ArrayList<>();
        for (int i = 0; i < sizes.subscriptions(); i++) {
            String id = uuid("scale-subscription-" + i);
            Customer owner = tenants.get(random.nextInt(tenants.size()));
            boolean production = random.nextInt(3) > 0;
            String name = owner.name() + (production ? " – Production" : " – Development");
            double azure = Math.round(Math.exp(random.nextDouble() * 10) * 100) / 100.0;
            String attributes = "{\"azureMonthlyConsumptionUsd\": " + azure + ", \"environment\": \""
                    + (production ? "production" : "development") + "\"}";
            sink.row(new Row().add("SUBSCRIPTION:" + id).add(name).add(null).add(null).add(owner.key().value()).add(null)
                    .add(null).add(null).add(attributes).end());
            subscriptions.add(new Customer(new CustomerKey(CustomerKey.Kind.SUBSCRIPTION, id), name, null, null, null));
        }
        List<Customer> opportunities = new ArrayList<>();
        for (int i = 0; i < sizes.opportunities(); i++) {
            String id = "7-S" + "0".repeat(Math.max(0, 9 - Integer.toString(i, 36).length()))
                    + Integer.toString(i, 36).toUpperCase(Locale.ROOT);
            Customer account = tpids.get(random.nextInt(tpids.size()));
            String name = account.name().replace(" Group", "") + " – " + NAME_SECOND[random.nextInt(NAME_SECOND.length)]
                    + " modernization";
            BigDecimal value = BigDecimal.valueOf(20_000 + random.nextInt(200) * 10_000L);
            int state = random.nextInt(100);
            String stateName = state < 80 ? "OPEN" : state < 92 ? "WON" : "LOST";
            sink.row(new Row().add("OPPORTUNITY:" + id).add(name).add(null).add(account.key().value()).add(null).add(null)
                    .add(value).add(stateName).add("{\"workload\": \"" + INDUSTRIES[random.nextInt(INDUSTRIES.length)] + "\"}")
                    .end());
            opportunities.add(new Customer(new CustomerKey(CustomerKey.Kind.OPPORTUNITY, id), name, account.country(),
                    null, value));
        }
        sink.end();
        sink.begin("directory_domain", "domain, tenant_id");
        for (Customer tenant : tenants) {
            sink.row(new Row().add(tenant.domain()).add(tenant.key().value()).end());
        }
        for (Customer tenant : fresh) {
            sink.row(new Row().add(tenant.domain()).add(tenant.key().value()).end());
        }
        sink.end();
        pools.put(CustomerKey.Kind.TENANT, tenants);
        pools.put(CustomerKey.Kind.TPID, tpids);
        pools.put(CustomerKey.Kind.SUBSCRIPTION, subscriptions);
        pools.put(CustomerKey.Kind.OPPORTUNITY, opportunities);
        return pools;
    }

    /** Seats spread over four orders of magnitude: many small customers, a few very large ones. */
    private static int seats(SplittableRandom random) {
        return (int) Math.round(Math.exp(2 + random.nextDouble() * 7));
    }

    private static int activeUsers(int seats, SplittableRandom random) {
        return (int) Math.round(seats * (0.2 + random.nextDouble() * 0.75));
    }

    /** Up to 500 partners: Contoso and Fabrikam from the program files, the rest generated with an administrator each. */
    private List<PartnerSide> partners(Sizes sizes, SplittableRandom random, Sink sink) {
        List<PartnerSide> partners = new ArrayList<>();
        partners.add(existing("contoso", "anna"));
        partners.add(existing("fabrikam", "farah"));
        String hash = passwords.encode("demo");
        List<Location> locations = new ArrayList<>();
        sink.begin("partner", "id, name");
        List<String[]> users = new ArrayList<>();
        for (int p = 3; p <= sizes.partners(); p++) {
            String id = "p%04d".formatted(p);
            String name = NAME_FIRST[random.nextInt(NAME_FIRST.length)] + " "
                    + List.of("Consulting", "Partners", "Solutions", "Digital", "IT Services", "Cloud").get(random.nextInt(6))
                    + " " + p;
            sink.row(new Row().add(id).add(name).end());
            int count = 1 + random.nextInt(3);
            List<Location> enrolled = new ArrayList<>();
            for (int l = 0; l < count; l++) {
                String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
                int state = random.nextInt(20);
                Enrollment enrollment = l == 0 || state > 1 ? Enrollment.ENROLLED
                        : state == 0 ? Enrollment.NOT_ENROLLED : Enrollment.SUSPENDED;
                Location location = new Location(Long.toString(7_000_000L + p * 10L + l), id,
                        name + " " + NAME_PLACE[random.nextInt(NAME_PLACE.length)], country, enrollment);
                locations.add(location);
                if (location.enrolled()) {
                    enrolled.add(location);
                }
            }
            String username = id + ".admin";
            String display = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + " " + LAST_NAMES[random.nextInt(LAST_NAMES.length)];
            String email = slug(display).replace('-', '.') + "@" + slug(name) + ".example";
            users.add(new String[] {username, display, email, id});
            partners.add(new PartnerSide(id, List.copyOf(enrolled), username, display, email));
        }
        sink.end();
        sink.begin("location", "id, partner_id, name, country, enrollment");
        for (Location l : locations) {
            sink.row(new Row().add(l.id()).add(l.partnerId()).add(l.name()).add(l.country()).add(l.enrollment().name()).end());
        }
        sink.end();
        sink.begin("app_user", "username, password_hash, display_name, email, partner_id, time_zone, language");
        for (String[] u : users) {
            // The hash is salted once for all generated users, and left out of the digest with it.
            sink.row(new Row().add(u[0]).add("demo").add(u[1]).add(u[2]).add(u[3]).add("UTC").add("en").end(),
                    new Row().add(u[0]).add(hash).add(u[1]).add(u[2]).add(u[3]).add("UTC").add("en").end());
        }
        sink.end();
        sink.begin("user_location_role", "username, location_id, role");
        for (Location l : locations) {
            sink.row(new Row().add(l.partnerId() + ".admin").add(l.id()).add("INCENTIVES_ADMIN").end());
        }
        sink.end();
        return partners;
    }

    private PartnerSide existing(String partnerId, String username) {
        List<Location> locations = program.locationsOf(partnerId).stream().filter(Location::enrolled).toList();
        Map<String, Object> user = jdbc.sql("select display_name, email from app_user where username = ?").param(username)
                .query().singleRow();
        return new PartnerSide(partnerId, locations, username, (String) user.get("display_name"), (String) user.get("email"));
    }

    // ------------------------------------------------------------------ claims

    /** How often each status ends a slot's main claim, in parts of 100. */
    private static final Map<ClaimStatus, Integer> STATUS_WEIGHTS = new EnumMap<>(Map.ofEntries(
            Map.entry(CUSTOMER_CLAIMED, 6), Map.entry(AWAITING_CONSENT, 7), Map.entry(CONSENT_RECEIVED, 10),
            Map.entry(SUBMITTED, 3), Map.entry(UNDER_REVIEW, 3), Map.entry(PARTNER_ACTION_REQUIRED, 2),
            Map.entry(REJECTED, 1), Map.entry(DISPUTED, 1), Map.entry(APPROVED, 2), Map.entry(COMPLETED, 25),
            Map.entry(CANCELED, 6), Map.entry(CONSENT_DECLINED, 4), Map.entry(CONSENT_EXPIRED, 12),
            Map.entry(NOT_SUBMITTED_EXPIRED, 8), Map.entry(POST_SUBMISSION_EXPIRED, 3), Map.entry(DISPUTE_EXPIRED, 3),
            Map.entry(REJECTED_FINAL, 4)));

    private static final String CLAIM_COLUMNS = """
            id, engagement_id, partner_id, location_id, origin, friendly_name, identifier_type, identifier_value,
            customer_key, customer_name, status, status_reason, created_at, created_by, consent_due_at,
            consent_requested_at, consent_received_at, first_submission_due_at, review_due_at, action_due_at,
            dispute_due_at, submitted_at, estimated_deal_size_usd, hours, rate_card, proposed_payout_usd,
            approved_payout_usd, customer_contact_name, customer_contact_email, customer_contact_phone,
            customer_contact_language, partner_contact_name, partner_contact_email, partner_contact_phone,
            previous_claim_id, updated_at, version, consent_email_sent_at, payout_market, execution_date,
            last_submitted_at, rejected_at, disputed_at, approved_at, paid_usd, paid_on, payout_reference,
            completed_at""".replace("\n", " ");

    /** An engagement's share of the claims and the keys it may be claimed for. */
    private static final class Plan {
        final Engagement engagement;
        final List<Customer> pool;
        final Instant windowStart;
        final Instant windowEnd;
        final RateCard card;
        long claims;
        long stride;
        long offset;

        Plan(Engagement engagement, List<Customer> pool, Instant windowStart, Instant windowEnd, RateCard card) {
            this.engagement = engagement;
            this.pool = pool;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.card = card;
        }

        /** The key of the n-th slot: a fixed stride through the pool, so slots never repeat a key. */
        Customer slot(long n) {
            return pool.get((int) ((offset + n * stride) % pool.size()));
        }
    }

    private Counts claims(Sizes sizes, Instant day, Instant now, long firstClaimId,
                          Map<CustomerKey.Kind, List<Customer>> pools, List<PartnerSide> partners,
                          SplittableRandom random, Sink sink) {
        Map<String, Market> markets = new HashMap<>();
        jdbc.sql("select country, market from market_country").query((rs, n) ->
                markets.put(rs.getString(1), Market.valueOf(rs.getString(2)))).list();
        List<Plan> plans = plans(sizes, day, pools, random);

        // Partners by weight: Contoso 8%, Fabrikam 2%, the others a long tail.
        double[] cumulative = new double[partners.size()];
        double total = 0;
        double tail = 0;
        for (int p = 2; p < partners.size(); p++) {
            tail += 1 / Math.pow(p - 1, 0.8);
        }
        for (int p = 0; p < partners.size(); p++) {
            total += p == 0 ? 0.08 : p == 1 ? 0.02 : 0.90 * (1 / Math.pow(p - 1, 0.8)) / tail;
            cumulative[p] = total;
        }

        Counts counts = new Counts();
        long id = firstClaimId;
        Sink history = sink;
        sink.begin("claim", CLAIM_COLUMNS);
        for (Plan plan : plans) {
            long written = 0;
            for (long slot = 0; written < plan.claims; slot++) {
                if (slot >= plan.pool.size()) {
                    throw new IllegalStateException("Ran out of customer keys for " + plan.engagement.id());
                }
                Customer customer = plan.slot(slot);
                PartnerSide partner = null;
                Claim main = null;
                // A status the engagement's window allows, for a partner with a location the engagement accepts.
                for (int attempt = 0; attempt < 20 && main == null; attempt++) {
                    partner = pick(partners, cumulative, random, plan.engagement);
                    main = partner == null ? null : Claim.plan(status(random), plan, random, now);
                }
                if (main == null) {
                    throw new IllegalStateException("No claim fits the window of " + plan.engagement.id());
                }
                int extra = random.nextInt(100);
                Long previous = null;
                if (extra < 10 && written + 1 < plan.claims) {
                    // Another partner's claim that ended before consent: canceled, declined or expired.
                    PartnerSide other = pick(partners, cumulative, random, plan.engagement);
                    ClaimStatus ending = List.of(CANCELED, CONSENT_DECLINED, CONSENT_EXPIRED).get(random.nextInt(3));
                    Claim rival = Claim.plan(ending, plan, random, now);
                    if (other != null && other != partner && rival != null && !rival.consented()) {
                        if (ending == CANCELED && main.holdsConsentOrDelivered()) {
                            rival.reason = "CUSTOMER_CONSENTED_TO_ANOTHER_PARTNER";
                        }
                        emit(rival, id++, null, plan, customer, other, markets, random, sink, history, counts);
                        written++;
                    }
                } else if (extra < 12 && written + 1 < plan.claims) {
                    // The same partner's expired claim this one was started from.
                    Claim expired = Claim.expiredBefore(main, plan, random);
                    if (expired != null) {
                        previous = id;
                        emit(expired, id++, null, plan, customer, partner, markets, random, sink, history, counts);
                        written++;
                    }
                }
                emit(main, id++, previous, plan, customer, partner, markets, random, sink, history, counts);
                written++;
            }
        }
        sink.end();
        sink.drain("claim_history", "claim_id, at, actor_type, actor, action, from_status, to_status, detail");
        return counts;
    }

    /** The engagements that take claims, each with its share and a stride through its pool of keys. */
    private List<Plan> plans(Sizes sizes, Instant day, Map<CustomerKey.Kind, List<Customer>> pools, SplittableRandom random) {
        List<Plan> plans = new ArrayList<>();
        for (Engagement e : catalog.all().stream().sorted(java.util.Comparator.comparing(Engagement::id)).toList()) {
            Instant start = e.firstClaimDay().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = e.lastClaimDay().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            RateCard card = null;
            if (e.isVariable()) {
                card = e.rateCards().stream().min(java.util.Comparator.comparing(RateCard::effectiveFrom)).orElse(null);
                if (card == null) {
                    continue;
                }
                Instant cardStart = card.effectiveFrom().atStartOfDay(ZoneOffset.UTC).toInstant();
                start = start.isAfter(cardStart) ? start : cardStart;
                // One card for the whole window keeps payouts simple: claims start once the newest card is in force.
                RateCard newest = e.rateCards().stream().max(java.util.Comparator.comparing(RateCard::effectiveFrom)).get();
                Instant newestStart = newest.effectiveFrom().atStartOfDay(ZoneOffset.UTC).toInstant();
                if (newestStart.isAfter(start) && newestStart.isBefore(day)) {
                    start = newestStart;
                    card = newest;
                }
            }
            if (!start.isBefore(day.minus(Duration.ofDays(60)))) {
                continue; // not open long enough for claims to have a history
            }
            List<Customer> pool = new ArrayList<>();
            for (CustomerKey.Kind kind : CustomerKey.Kind.values()) {
                if (e.identifierTypes().stream().anyMatch(t -> t.keyKind() == kind)) {
                    pool.addAll(pools.get(kind));
                }
            }
            if (pool.isEmpty()) {
                continue;
            }
            plans.add(new Plan(e, pool, start, end, card));
        }
        // Shares: FIXED engagements alike, VARIABLE ones a sixth; none uses more than 80% of its pool.
        double[] weights = plans.stream().mapToDouble(p -> p.engagement.isVariable() ? 1 / 6.0 : 1).toArray();
        long remaining = sizes.claims();
        boolean[] capped = new boolean[plans.size()];
        for (int round = 0; round < plans.size() && remaining > 0; round++) {
            double sum = 0;
            for (int i = 0; i < plans.size(); i++) {
                sum += capped[i] ? 0 : weights[i];
            }
            long assigned = 0;
            boolean changed = false;
            for (int i = 0; i < plans.size(); i++) {
                if (capped[i]) {
                    continue;
                }
                Plan plan = plans.get(i);
                long share = Math.round(remaining * weights[i] / sum);
                long cap = plan.pool.size() * 8L / 10;
                if (plan.claims + share > cap) {
                    share = cap - plan.claims;
                    capped[i] = true;
                    changed = true;
                }
                plan.claims += share;
                assigned += share;
            }
            remaining -= assigned;
            if (!changed) {
                break;
            }
        }
        for (Plan plan : plans) {
            if (remaining != 0 && plan.claims + remaining <= plan.pool.size() * 8L / 10 && plan.claims + remaining >= 0) {
                plan.claims += remaining;
                remaining = 0;
            }
            long size = plan.pool.size();
            long stride = 1 + random.nextLong(size);
            while (gcd(stride, size) != 1) {
                stride = 1 + random.nextLong(size);
            }
            plan.stride = stride;
            plan.offset = random.nextLong(size);
        }
        if (remaining != 0) {
            throw new IllegalStateException("The directory is too small for " + sizes.claims() + " claims");
        }
        return plans;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static PartnerSide pick(List<PartnerSide> partners, double[] cumulative, SplittableRandom random,
                                    Engagement engagement) {
        for (int attempt = 0; attempt < 20; attempt++) {
            double x = random.nextDouble() * cumulative[cumulative.length - 1];
            int low = 0;
            int high = cumulative.length - 1;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (cumulative[mid] < x) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            PartnerSide partner = partners.get(low);
            if (partner.locations().stream().anyMatch(engagement::locationEligible)) {
                return partner;
            }
        }
        return null;
    }

    private static ClaimStatus status(SplittableRandom random) {
        int x = random.nextInt(100);
        for (Map.Entry<ClaimStatus, Integer> e : STATUS_WEIGHTS.entrySet()) {
            x -= e.getValue();
            if (x < 0) {
                return e.getKey();
            }
        }
        return COMPLETED;
    }

    /** One claim's way to its status, with every stamp and deadline its steps left, as offsets from creation. */
    private static final class Claim {
        final ClaimStatus status;
        final List<ClaimStatus> path;
        final long[] at; // seconds after creation, per step
        Instant created;
        String reason;
        long consentDue;
        Long consentRequested;
        Long consentReceived;
        Long firstSubmissionDue;
        Long reviewDue;
        Long actionDue;
        Long disputeDue;
        Long submitted;
        Long firstSubmitted;
        Long rejected;
        Long disputed;
        Long approved;
        Long completed;

        private Claim(ClaimStatus status, List<ClaimStatus> path) {
            this.status = status;
            this.path = path;
            this.at = new long[path.size()];
        }

        boolean consented() {
            return consentReceived != null;
        }

        boolean holdsConsentOrDelivered() {
            return ClaimStatus.ENGAGED_OR_CONSENTED.contains(status);
        }

        private static final long DAY = 86_400;

        static List<ClaimStatus> path(ClaimStatus status, SplittableRandom random) {
            List<ClaimStatus> review = List.of(CUSTOMER_CLAIMED, AWAITING_CONSENT, CONSENT_RECEIVED, SUBMITTED, UNDER_REVIEW);
            return switch (status) {
                case CUSTOMER_CLAIMED -> List.of(CUSTOMER_CLAIMED);
                case AWAITING_CONSENT -> List.of(CUSTOMER_CLAIMED, AWAITING_CONSENT);
                case CONSENT_RECEIVED -> List.of(CUSTOMER_CLAIMED, AWAITING_CONSENT, CONSENT_RECEIVED);
                case SUBMITTED -> review.subList(0, 4);
                case UNDER_REVIEW -> review;
                case PARTNER_ACTION_REQUIRED, REJECTED, APPROVED -> concat(review, status);
                case DISPUTED -> concat(review, REJECTED, DISPUTED);
                case COMPLETED -> random.nextInt(10) < 3
                        ? concat(review, PARTNER_ACTION_REQUIRED, SUBMITTED, UNDER_REVIEW, APPROVED, COMPLETED)
                        : concat(review, APPROVED, COMPLETED);
                case CANCELED -> switch (random.nextInt(3)) {
                    case 0 -> List.of(CUSTOMER_CLAIMED, CANCELED);
                    case 1 -> List.of(CUSTOMER_CLAIMED, AWAITING_CONSENT, CANCELED);
                    default -> List.of(CUSTOMER_CLAIMED, AWAITING_CONSENT, CONSENT_RECEIVED, CANCELED);
                };
                case CONSENT_DECLINED -> List.of(CUSTOMER_CLAIMED, AWAITING_CONSENT, CONSENT_DECLINED);
                case CONSENT_EXPIRED -> random.nextBoolean() ? List.of(CUSTOMER_CLAIMED, CONSENT_EXPIRED)
                        : List.of(CUSTOMER_CLAIMED, AWAITING_CONSENT, CONSENT_EXPIRED);
                case NOT_SUBMITTED_EXPIRED -> List.of(CUSTOMER_CLAIMED, AWAITING_CONSENT, CONSENT_RECEIVED,
                        NOT_SUBMITTED_EXPIRED);
                case POST_SUBMISSION_EXPIRED -> concat(review, PARTNER_ACTION_REQUIRED, POST_SUBMISSION_EXPIRED);
                case DISPUTE_EXPIRED -> concat(review, REJECTED, DISPUTE_EXPIRED);
                case REJECTED_FINAL -> concat(review, REJECTED, DISPUTED, UNDER_REVIEW, REJECTED_FINAL);
            };
        }

        private static List<ClaimStatus> concat(List<ClaimStatus> head, ClaimStatus... tail) {
            List<ClaimStatus> path = new ArrayList<>(head);
            path.addAll(List.of(tail));
            return path;
        }

        /** Seconds of a gap of {@code min} to {@code max} days, at a random time of day. */
        private static long gap(SplittableRandom random, int min, int max) {
            return min * DAY + random.nextLong((max - min) * DAY + 1) + 600;
        }

        /**
         * A claim ending in {@code status}, created at a time that fits: inside the engagement's
         * window, every step in the past, an active claim's next deadline ahead. Null when the
         * window leaves no such time.
         */
        static Claim plan(ClaimStatus status, Plan plan, SplittableRandom random, Instant now) {
            Deadlines d = plan.engagement.deadlines();
            Claim c = new Claim(status, path(status, random));
            c.consentDue = d.consentDays() * DAY;
            long t = 0;
            boolean everSubmitted = false;
            for (int s = 1; s < c.path.size(); s++) {
                ClaimStatus from = c.path.get(s - 1);
                ClaimStatus to = c.path.get(s);
                if (!from.canMoveTo(to)) {
                    throw new IllegalStateException(from + " cannot move to " + to);
                }
                switch (to) {
                    case AWAITING_CONSENT -> {
                        t += gap(random, 0, 5);
                        c.consentRequested = t;
                    }
                    case CONSENT_RECEIVED -> {
                        t += gap(random, 1, 10);
                        c.consentReceived = t;
                        c.firstSubmissionDue = t + d.firstSubmissionDays() * DAY;
                        c.reviewDue = t + d.reviewDays() * DAY;
                    }
                    case CONSENT_DECLINED, CANCELED -> t += gap(random, 1, 10);
                    case SUBMITTED -> {
                        t += everSubmitted ? gap(random, 1, 10) : gap(random, 5, Math.min(30, d.firstSubmissionDays() - 25));
                        if (!everSubmitted) {
                            c.firstSubmitted = t;
                        }
                        c.submitted = t;
                        c.actionDue = null;
                        everSubmitted = true;
                    }
                    case UNDER_REVIEW -> t += gap(random, 1, 4);
                    case PARTNER_ACTION_REQUIRED -> {
                        t += gap(random, 1, 6);
                        c.actionDue = t + d.actionRequiredDays() * DAY;
                    }
                    case APPROVED -> {
                        t += gap(random, 2, 8);
                        c.approved = t;
                    }
                    case REJECTED -> {
                        t += gap(random, 2, 8);
                        c.rejected = t;
                        c.disputeDue = t + d.disputeDays() * DAY;
                    }
                    case DISPUTED -> {
                        t += gap(random, 1, Math.max(1, Math.min(20, d.disputeDays() - 5)));
                        c.disputed = t;
                    }
                    case REJECTED_FINAL -> {
                        t += gap(random, 1, 5);
                        c.rejected = t;
                    }
                    case COMPLETED -> {
                        t += gap(random, 5, 20);
                        c.completed = t;
                    }
                    case CONSENT_EXPIRED -> t = c.consentDue;
                    case NOT_SUBMITTED_EXPIRED -> t = c.firstSubmissionDue;
                    case POST_SUBMISSION_EXPIRED -> t = c.actionDue;
                    case DISPUTE_EXPIRED -> t = c.disputeDue;
                    default -> throw new IllegalStateException("no step into " + to);
                }
                c.at[s] = t;
            }
            long last = t;
            Long next = switch (status) {
                case CUSTOMER_CLAIMED, AWAITING_CONSENT -> c.consentDue;
                case CONSENT_RECEIVED -> c.firstSubmissionDue;
                case SUBMITTED, UNDER_REVIEW, DISPUTED -> c.reviewDue;
                case PARTNER_ACTION_REQUIRED -> c.actionDue;
                case REJECTED -> c.disputeDue;
                case APPROVED -> last + 45 * DAY;
                default -> null;
            };
            long nowSeconds = now.getEpochSecond();
            // The claim's age: from its last step (plus an hour) to its next deadline (less an hour), or a year for ended ones.
            long minAge = Math.max(last + 3_600, nowSeconds - plan.windowEnd.getEpochSecond() + 1);
            long maxAge = Math.min(next == null ? last + 365 * DAY : next - 3_600,
                    nowSeconds - plan.windowStart.getEpochSecond());
            if (maxAge < minAge) {
                return null;
            }
            c.created = Instant.ofEpochSecond(nowSeconds - minAge - random.nextLong(maxAge - minAge + 1));
            return c;
        }

        /** A consent-expired claim of the same partner, ended before {@code follower} was created; null if the window is too short. */
        static Claim expiredBefore(Claim follower, Plan plan, SplittableRandom random) {
            Claim c = new Claim(CONSENT_EXPIRED, List.of(CUSTOMER_CLAIMED, CONSENT_EXPIRED));
            c.consentDue = plan.engagement.deadlines().consentDays() * DAY;
            c.at[1] = c.consentDue;
            c.created = follower.created.minusSeconds(c.consentDue + gap(random, 0, 5));
            return c.created.isBefore(plan.windowStart) ? null : c;
        }
    }

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    /** Writes one claim row and queues its history rows. */
    private void emit(Claim c, long id, Long previous, Plan plan, Customer customer, PartnerSide partner,
                      Map<String, Market> markets, SplittableRandom random, Sink sink, Sink history, Counts counts) {
        Engagement e = plan.engagement;
        Location location = partner.locations().stream().filter(e::locationEligible).toList()
                .get(random.nextInt((int) partner.locations().stream().filter(e::locationEligible).count()));
        IdentifierType type = identifierType(e, customer.key(), random);
        String value = switch (type) {
            case DOMAIN -> customer.domain();
            case TENANT_ID, TPID, AZURE_SUBSCRIPTION_ID, MSX_OPPORTUNITY_ID -> customer.key().value();
        };
        Market market = markets.getOrDefault(customer.country() != null ? customer.country() : location.country(), Market.C);
        Integer hours = null;
        String rateCard = null;
        BigDecimal proposed = e.fixedPayouts().get(market);
        if (e.isVariable()) {
            hours = 1 + random.nextInt(plan.card.maxHours());
            rateCard = json.writeValueAsString(plan.card);
            proposed = plan.card.payout(hours, market, customer.value()).amount();
        }
        String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
        String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
        String contactDomain = customer.domain() != null ? customer.domain() : slug(customer.name()) + ".example";
        String language = "NL".equals(customer.country()) ? "nl" : "TR".equals(customer.country()) ? "tr" : "en";
        BigDecimal dealSize = c.consentRequested == null ? null
                : BigDecimal.valueOf(random.nextInt(1, 500)).multiply(THOUSAND);
        Instant created = c.created;
        Instant updated = at(created, c.at[c.at.length - 1]);
        boolean paid = c.completed != null;
        String reason = c.reason != null ? c.reason : switch (c.status) {
            case CONSENT_DECLINED -> "We are working with another partner on this.";
            case CANCELED -> "The customer postponed the project.";
            case PARTNER_ACTION_REQUIRED -> "Please add the attendee list and the customer-signed completion report.";
            case REJECTED -> "The proof of execution does not show the customer's participation.";
            case REJECTED_FINAL -> "The dispute does not change the assessment.";
            case CONSENT_EXPIRED, NOT_SUBMITTED_EXPIRED, POST_SUBMISSION_EXPIRED, DISPUTE_EXPIRED -> "DEADLINE_PASSED";
            default -> null;
        };
        String friendly = customer.name() + " – " + e.name();
        if (friendly.codePointCount(0, friendly.length()) > 100) {
            friendly = friendly.substring(0, 99) + "…";
        }
        BigDecimal approvedPayout = c.approved != null ? proposed : null;
        sink.row(new Row().add(id).add(e.id()).add(partner.id()).add(location.id())
                .add(random.nextInt(5) == 0 ? "CLAIM" : "ADD").add(friendly).add(type.name()).add(value)
                .add(customer.key()).add(customer.name()).add(c.status.name()).add(reason).add(created)
                .add(partner.username()).add(at(created, c.consentDue)).add(at(created, c.consentRequested))
                .add(at(created, c.consentReceived)).add(at(created, c.firstSubmissionDue)).add(at(created, c.reviewDue))
                .add(at(created, c.actionDue)).add(at(created, c.disputeDue)).add(at(created, c.submitted))
                .add(dealSize).add(hours).add(rateCard).add(proposed).add(approvedPayout)
                .add(first + " " + last).add(slug(first) + "." + slug(last) + "@" + contactDomain)
                .add(random.nextInt(3) == 0 ? null : "+31 20 555 " + (1000 + random.nextInt(9000))).add(language)
                .add(partner.displayName()).add(partner.email()).add(null).add(previous).add(updated)
                .add(c.path.size() - 1).add(at(created, c.consentRequested)).add(market.name())
                .add(c.firstSubmitted == null ? null : LocalDate.ofInstant(at(created, c.firstSubmitted), ZoneOffset.UTC).minusDays(2))
                .add(at(created, c.submitted)).add(at(created, c.rejected)).add(at(created, c.disputed))
                .add(at(created, c.approved)).add(paid ? approvedPayout : null)
                .add(paid ? LocalDate.ofInstant(at(created, c.completed), ZoneOffset.UTC) : null)
                .add(paid ? "MCI-PAY-" + id : null).add(at(created, c.completed)).end());
        counts.claims++;
        String customerEmail = slug(first) + "." + slug(last) + "@" + contactDomain;
        for (int s = 0; s < c.path.size(); s++) {
            ClaimStatus to = c.path.get(s);
            ClaimStatus from = s == 0 ? null : c.path.get(s - 1);
            String actorType = "PARTNER_USER";
            String actor = partner.username();
            String action;
            switch (to) {
                case CUSTOMER_CLAIMED -> action = previous != null || random.nextInt(5) == 0 ? "CUSTOMER_CLAIMED" : "CUSTOMER_ADDED";
                case AWAITING_CONSENT -> action = "CONSENT_REQUESTED";
                case CONSENT_RECEIVED, CONSENT_DECLINED -> {
                    actorType = "CUSTOMER";
                    actor = customerEmail;
                    action = to == CONSENT_RECEIVED ? "CONSENT_ACCEPTED" : "CONSENT_DECLINED";
                }
                case SUBMITTED -> action = from == PARTNER_ACTION_REQUIRED ? "RESUBMITTED" : "SUBMITTED";
                case UNDER_REVIEW, PARTNER_ACTION_REQUIRED, APPROVED, REJECTED, REJECTED_FINAL, COMPLETED -> {
                    actorType = "REVIEWER";
                    actor = "rita";
                    action = switch (to) {
                        case UNDER_REVIEW -> "REVIEW_STARTED";
                        case PARTNER_ACTION_REQUIRED -> "ACTION_REQUESTED";
                        case COMPLETED -> "PAYOUT_RECORDED";
                        default -> to.name();
                    };
                }
                case DISPUTED -> action = "DISPUTED";
                case CANCELED -> {
                    if ("CUSTOMER_CONSENTED_TO_ANOTHER_PARTNER".equals(reason)) {
                        actorType = "SYSTEM";
                        actor = "system";
                    }
                    action = "CANCELED";
                }
                default -> {
                    actorType = "SYSTEM";
                    actor = "system";
                    action = "EXPIRED";
                }
            }
            history.spool(new Row().add(id).add(at(created, c.at[s])).add(actorType).add(actor).add(action)
                    .add(from == null ? null : from.name()).add(to.name()).add(null).end());
            counts.history++;
        }
    }

    private static IdentifierType identifierType(Engagement e, CustomerKey key, SplittableRandom random) {
        List<IdentifierType> types = e.identifierTypes().stream().filter(t -> t.keyKind() == key.kind())
                .sorted().toList();
        return types.get(random.nextInt(types.size()));
    }

    private static Instant at(Instant created, Long offsetSeconds) {
        return offsetSeconds == null ? null : created.plusSeconds(offsetSeconds);
    }
}
