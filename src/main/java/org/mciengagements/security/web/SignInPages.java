package org.mciengagements.security.web;

import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.shared.ProblemException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class SignInPages {

    @GetMapping("/login")
    String login() {
        return "login";
    }

    /** Sends each user to where their work is: sellers work referrals, not claims; operators run the program. */
    @GetMapping("/")
    String home(CurrentUser user) {
        if (user.isPartnerUser() && user.hasIncentivesRole()) {
            return "redirect:/engagements";
        }
        if (user.has(GlobalRole.PROGRAM_REVIEWER)) {
            return "redirect:/review";
        }
        if (user.has(GlobalRole.SELLER) || (user.isPartnerUser() && user.has(GlobalRole.REFERRAL_ADMIN))) {
            return "redirect:/referrals";
        }
        if (user.has(GlobalRole.PROGRAM_OPERATOR)) {
            return "redirect:/admin/engagements";
        }
        if (user.has(GlobalRole.REFERRAL_ADMIN)) {
            return "redirect:/welcome";
        }
        throw ProblemException.forbidden("INCENTIVES_ROLE_REQUIRED", "problem.forbidden.incentivesRole");
    }

    @GetMapping("/welcome")
    String welcome(CurrentUser user, org.springframework.ui.Model model) {
        model.addAttribute("me", user);
        return "welcome";
    }

    /** Spring Security forwards refused requests here with their own method (a POST for a CSRF failure). */
    @org.springframework.web.bind.annotation.RequestMapping("/error/403")
    String forbidden() {
        throw ProblemException.forbidden("FORBIDDEN", "problem.forbidden");
    }
}
