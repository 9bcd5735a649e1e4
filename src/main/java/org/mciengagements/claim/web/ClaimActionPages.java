package org.mciengagements.claim.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mciengagements.claim.ClaimActions;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.ProofDocuments;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.shared.web.FormProblems;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The partner's claim actions on the claim details page: submit or resubmit proof of execution,
 * dispute a rejection, cancel before the first submission. Each form posts here and comes back to
 * the claim with a notice, or with the refusal next to the fields and what was typed kept (files
 * cannot be kept: a browser never lets a page fill in a file input).
 */
@Controller
class ClaimActionPages {

    private final ClaimActions actions;
    private final ClaimQueries claims;
    private final FormProblems problems;
    private final ProgramClock clock;

    ClaimActionPages(ClaimActions actions, ClaimQueries claims, FormProblems problems, ProgramClock clock) {
        this.actions = actions;
        this.claims = claims;
        this.problems = problems;
        this.clock = clock;
    }

    @PostMapping("/claims/{claimId}/submissions")
    String submit(CurrentUser user, @PathVariable long claimId, @RequestParam(required = false) String executionDate,
                  @RequestParam(required = false) String comments,
                  @RequestParam(name = "files", required = false) List<MultipartFile> files,
                  RedirectAttributes redirect) {
        user.requireIncentivesRole();
        try {
            actions.submit(user, claimId, new ClaimActions.Submission(ClaimActionsApi.parseDate(executionDate), comments,
                    ClaimActionsApi.uploads(files == null ? List.of() : files)), clock.instant());
            boolean resubmitted = claims.find(claimId, ClaimsApi.scope(user)).map(ClaimView::submissions)
                    .filter(s -> !s.isEmpty()).map(s -> ProofDocuments.Kind.RESUBMISSION.name().equals(s.getLast().kind()))
                    .orElse(false);
            problems.notice(redirect, resubmitted ? "claim.resubmit.done" : "claim.submit.done");
            return back(claimId, null);
        } catch (ProblemException e) {
            problems.reject(e, redirect, "submitErrors");
            redirect.addFlashAttribute("submitForm", form("executionDate", executionDate, "comments", comments));
            return back(claimId, "submit");
        }
    }

    @PostMapping("/claims/{claimId}/disputes")
    String dispute(CurrentUser user, @PathVariable long claimId, @RequestParam(required = false) String reason,
                   @RequestParam(name = "files", required = false) List<MultipartFile> files,
                   RedirectAttributes redirect) {
        user.requireIncentivesRole();
        try {
            actions.dispute(user, claimId, reason, ClaimActionsApi.uploads(files == null ? List.of() : files),
                    clock.instant());
            problems.notice(redirect, "claim.dispute.done");
            return back(claimId, null);
        } catch (ProblemException e) {
            problems.reject(e, redirect, "disputeErrors");
            redirect.addFlashAttribute("disputeForm", form("reason", reason));
            return back(claimId, "dispute");
        }
    }

    @PostMapping("/claims/{claimId}/cancellation")
    String cancel(CurrentUser user, @PathVariable long claimId, @RequestParam(required = false) String reason,
                  RedirectAttributes redirect) {
        user.requireIncentivesRole();
        try {
            actions.cancel(user, claimId, reason, clock.instant());
            problems.notice(redirect, "claim.cancel.done");
            return back(claimId, null);
        } catch (ProblemException e) {
            problems.reject(e, redirect, "cancelErrors");
            redirect.addFlashAttribute("cancelForm", form("reason", reason));
            return back(claimId, "cancel");
        }
    }

    /** Back to the claim; after a refusal, to the section of the form that was refused. */
    private static String back(long claimId, String section) {
        return "redirect:/claims/" + claimId + (section == null ? "" : "#" + section);
    }

    private static Map<String, String> form(String... namesAndValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }
}
