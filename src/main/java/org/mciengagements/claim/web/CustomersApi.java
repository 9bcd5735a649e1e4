package org.mciengagements.claim.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.CustomersPage;
import org.mciengagements.eligibility.Reason;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.ProgramClock;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The Customers page of an engagement as JSON (and CSV). */
@RestController
class CustomersApi {

    private final EngagementCatalog catalog;
    private final CustomersPage page;
    private final ReasonTexts reasons;
    private final CustomersCsv csv;
    private final MessageSource messages;
    private final ProgramClock clock;

    CustomersApi(EngagementCatalog catalog, CustomersPage page, ReasonTexts reasons, CustomersCsv csv,
                 MessageSource messages, ProgramClock clock) {
        this.catalog = catalog;
        this.page = page;
        this.reasons = reasons;
        this.csv = csv;
        this.messages = messages;
        this.clock = clock;
    }

    record Identifier(String type, String value) {}

    record Item(String kind, Long claimId, String friendlyName, String customerName, Identifier identifier,
                String customerKey, String locationId, ClaimStatus status, ClaimView.Deadline deadline,
                List<ReasonTexts.ReasonView> reasons) {}

    record CustomersResponse(String engagementId, String tab, Map<String, Long> counts, String notice,
                             List<Item> items, String nextCursor) {}

    @GetMapping("/api/v1/engagements/{engagementId}/customers")
    CustomersResponse customers(CurrentUser user, @PathVariable String engagementId,
                                @RequestParam(required = false) String tab, @RequestParam(required = false) String q,
                                @RequestParam(required = false) String sort, @RequestParam(required = false) String order,
                                @RequestParam(required = false) String cursor,
                                @RequestParam(required = false) Integer limit) {
        user.requireIncentivesRole();
        Engagement engagement = catalog.findVisible(engagementId, user.partnerLocations());
        CustomersPage.Result result = page.show(user, engagement,
                CustomersRequests.of(tab, q, sort, order, cursor, limit), clock.instant());
        Map<String, Long> counts = new TreeMap<>();
        result.counts().forEach((t, n) -> counts.put(t.name().toLowerCase(), n));
        String notice = result.variableNotice()
                ? messages.getMessage("customers.variableNotice", null, LocaleContextHolder.getLocale()) : null;
        // Rows with the same reasons share one list of them (CustomersPage): put in words once.
        Map<List<Reason>, List<ReasonTexts.ReasonView>> described = new IdentityHashMap<>();
        List<Item> items = result.rows().stream().map(r -> new Item(r.kind().name(), r.claimId(), r.friendlyName(),
                r.customerName(), new Identifier(r.identifierType().name(), r.identifierValue()), r.customerKey(),
                r.locationId(), r.status(), r.deadline(),
                described.computeIfAbsent(r.reasons(), rs -> reasons.describe(rs, user.timeZone())))).toList();
        return new CustomersResponse(engagement.id(), result.tab().name().toLowerCase(), counts, notice, items,
                result.nextCursor());
    }

    @GetMapping("/api/v1/engagements/{engagementId}/customers.csv")
    void export(CurrentUser user, @PathVariable String engagementId, @RequestParam(required = false) String tab,
                @RequestParam(required = false) String q, @RequestParam(required = false) String sort,
                @RequestParam(required = false) String order, HttpServletResponse response) throws IOException {
        user.requireIncentivesRole();
        writeCsv(user, engagementId, tab, q, sort, order, response, catalog, page, csv, clock.instant());
    }

    static void writeCsv(CurrentUser user, String engagementId, String tab, String q, String sort, String order,
                         HttpServletResponse response, EngagementCatalog catalog, CustomersPage page, CustomersCsv csv,
                         Instant now) throws IOException {
        Engagement engagement = catalog.findVisible(engagementId, user.partnerLocations());
        CustomersPage.Result result = page.show(user, engagement, CustomersRequests.all(tab, q, sort, order), now);
        response.setContentType("text/csv");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Content-Disposition",
                "attachment; filename=\"" + csv.filename(engagement.id(), result.tab()) + "\"");
        csv.write(result, user.timeZone(), response.getWriter());
    }
}
