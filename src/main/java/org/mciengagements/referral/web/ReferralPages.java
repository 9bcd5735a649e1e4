package org.mciengagements.referral.web;

import org.mciengagements.referral.ReferralDecision;
import org.mciengagements.referral.ReferralStatus;
import org.mciengagements.referral.ReferralView;
import org.mciengagements.referral.Referrals;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The referrals list, a referral's page and its decision form. */
@Controller
class ReferralPages {

    private final Referrals referrals;
    private final MessageSource messages;
    private final ProgramClock clock;

    ReferralPages(Referrals referrals, MessageSource messages, ProgramClock clock) {
        this.referrals = referrals;
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping("/referrals")
    String list(CurrentUser user, @RequestParam(required = false) ReferralStatus status,
                @RequestParam(required = false) Boolean coSell, @RequestParam(required = false) String q,
                @RequestParam(required = false) String cursor, Model model) {
        var result = referrals.list(user, new Referrals.Filter(status, coSell, q), Cursor.decode(cursor, "cursor"), 50);
        model.addAttribute("me", user);
        model.addAttribute("viewer", Referrals.Viewer.of(user));
        model.addAttribute("result", result);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("status", status);
        model.addAttribute("coSell", coSell);
        model.addAttribute("statuses", ReferralStatus.values());
        return "referral/list";
    }

    @GetMapping("/referrals/{referralId}")
    String one(CurrentUser user, @PathVariable long referralId, Model model) {
        ReferralView referral = referrals.find(user, referralId);
        model.addAttribute("me", user);
        model.addAttribute("referral", referral);
        // The claim itself is only for the partner's incentives users of its location.
        model.addAttribute("claimVisible", user.isPartnerUser() && user.partnerId().equals(referral.partnerId())
                && user.visibleLocationIds().contains(referral.locationId()));
        return "referral/page";
    }

    @PostMapping("/referrals/{referralId}/decisions")
    String decide(CurrentUser user, @PathVariable long referralId, @RequestParam(required = false) String decision,
                  @RequestParam(required = false) String comment, RedirectAttributes redirect) {
        try {
            ReferralView referral = referrals.decide(user, referralId, new Referrals.DecisionRequest(decision, comment),
                    clock.instant());
            redirect.addFlashAttribute("notice", messages.getMessage("referral.decided." + decisionOf(decision),
                    new Object[] {String.valueOf(referral.id())}, LocaleContextHolder.getLocale()));
        } catch (ProblemException e) {
            // Not seeing it, or a decision the caller's roles never allow (the page offers none), is the
            // error page; a missing decision or one the referral's status no longer allows is said on the page.
            if (e.status().value() == 404 || e.status().value() == 403) {
                throw e;
            }
            String text = e.fieldProblems().isEmpty() ? messages.getMessage(e.messageKey(), e.args().toArray(),
                    LocaleContextHolder.getLocale())
                    : messages.getMessage(e.fieldProblems().getFirst().messageKey(),
                    e.fieldProblems().getFirst().args().toArray(), LocaleContextHolder.getLocale());
            redirect.addFlashAttribute("problem", text);
            redirect.addFlashAttribute("comment", comment);
        }
        return "redirect:/referrals/" + referralId;
    }

    private static ReferralDecision decisionOf(String decision) {
        return ReferralDecision.valueOf(decision.strip().toUpperCase(java.util.Locale.ROOT));
    }
}
