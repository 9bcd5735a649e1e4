package org.mciengagements.consent.web;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mciengagements.claim.Nomination;
import org.mciengagements.consent.Consents;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.shared.web.FormProblems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The partner's Send and Resend customer consent email, from the claim details page. */
@Controller
class ConsentPartnerPages {

    private final Consents consents;
    private final FormProblems problems;
    private final ProgramClock clock;
    private final String publicUrl;

    ConsentPartnerPages(Consents consents, FormProblems problems, ProgramClock clock,
                        @Value("${mci.public-url:}") String publicUrl) {
        this.consents = consents;
        this.problems = problems;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    @PostMapping("/claims/{claimId}/consent-request")
    String request(CurrentUser user, @PathVariable long claimId, @RequestParam(required = false) String estimatedDealSizeUsd,
                   @RequestParam(required = false) String customerName, @RequestParam(required = false) String customerEmail,
                   @RequestParam(required = false) String customerPhone,
                   @RequestParam(required = false) String customerLanguage,
                   @RequestParam(required = false) String partnerName, @RequestParam(required = false) String partnerEmail,
                   @RequestParam(required = false) String partnerPhone,
                   @RequestParam(defaultValue = "false") boolean disclaimerAccepted, RedirectAttributes redirect) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("estimatedDealSizeUsd", estimatedDealSizeUsd);
        try {
            BigDecimal dealSize = parseAmount(estimatedDealSizeUsd);
            consents.request(user, claimId, new Consents.Request(dealSize,
                    new Nomination.ContactInput(customerName, customerEmail, customerPhone, customerLanguage),
                    new Nomination.ContactInput(partnerName, partnerEmail, partnerPhone, null), disclaimerAccepted),
                    ConsentApi.baseUrl(publicUrl), clock.instant());
            problems.notice(redirect, "claim.consent.sent");
        } catch (ProblemException e) {
            problems.reject(e, redirect, "consentErrors");
            redirect.addFlashAttribute("consentForm", form);
        }
        return "redirect:/claims/" + claimId;
    }

    @PostMapping("/claims/{claimId}/consent-request/reminders")
    String remind(CurrentUser user, @PathVariable long claimId, RedirectAttributes redirect) {
        try {
            consents.remind(user, claimId, ConsentApi.baseUrl(publicUrl), clock.instant());
            problems.notice(redirect, "claim.consent.resent");
        } catch (ProblemException e) {
            problems.reject(e, redirect, "consentErrors");
        }
        return "redirect:/claims/" + claimId;
    }

    private static BigDecimal parseAmount(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(text.strip().replace(",", ""));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("estimatedDealSizeUsd", "INVALID_VALUE", "consent.dealSize.range");
        }
    }
}
