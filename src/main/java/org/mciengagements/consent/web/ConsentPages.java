package org.mciengagements.consent.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.mciengagements.consent.Consents;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The customer's consent page, reached from the link in the consent email without an account. It
 * speaks the contact's preferred language unless the visitor picks another one.
 */
@Controller
class ConsentPages {

    private final Consents consents;
    private final LocaleResolver locales;
    private final ProgramClock clock;

    ConsentPages(Consents consents, LocaleResolver locales, ProgramClock clock) {
        this.consents = consents;
        this.locales = locales;
        this.clock = clock;
    }

    @GetMapping("/consent/{token}")
    String show(@PathVariable String token, @RequestParam(required = false) String lang, Model model,
                HttpServletRequest request, HttpServletResponse response) {
        Consents.LinkView view = consents.view(token, clock.instant());
        if (lang == null) {
            view.details().ifPresent(d -> locales.setLocale(request, response, Locale.forLanguageTag(d.language())));
        }
        model.addAttribute("token", token);
        model.addAttribute("view", view);
        model.addAttribute("details", view.details().orElse(null));
        response.setHeader("Referrer-Policy", "no-referrer"); // the token must not leak to other sites
        response.setHeader("Cache-Control", "no-store");
        if (view.state() != Consents.LinkState.OPEN) {
            response.setStatus(view.state() == Consents.LinkState.UNKNOWN ? 404 : 410);
        }
        return "consent/page";
    }

    @PostMapping("/consent/{token}")
    String decide(@PathVariable String token, @RequestParam String decision,
                  @RequestParam(required = false) String reason, Model model, HttpServletResponse response) {
        Consents.Decision choice;
        try {
            choice = Consents.Decision.valueOf(decision);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("decision", "INVALID_VALUE", "consent.decision.invalid");
        }
        Consents.LinkView before = consents.view(token, clock.instant());
        try {
            consents.decide(token, choice, reason, clock.instant());
        } catch (ProblemException refused) {
            Consents.LinkView now = consents.view(token, clock.instant());
            model.addAttribute("token", token);
            model.addAttribute("view", now);
            model.addAttribute("details", now.details().orElse(null));
            response.setStatus(refused.status().value());
            return "consent/page";
        }
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("decision", choice);
        model.addAttribute("details", before.details().orElse(null));
        return "consent/done";
    }
}
