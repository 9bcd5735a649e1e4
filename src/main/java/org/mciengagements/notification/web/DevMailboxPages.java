package org.mciengagements.notification.web;

import java.time.ZoneOffset;
import org.mciengagements.notification.DevMailbox;
import org.mciengagements.shared.ProblemException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The dev mailbox: every queued and "delivered" mail of the demo run, so the customer's side of
 * consent can be tried without a mail server. Exists only when {@code mci.mail.dev-mailbox} is on;
 * then it is open to anyone (the security chain permits it), because it stands in for the
 * customers' inboxes.
 */
@Controller
@ConditionalOnBooleanProperty("mci.mail.dev-mailbox")
class DevMailboxPages {

    static final int SHOWN = 200;

    private final DevMailbox mailbox;

    DevMailboxPages(DevMailbox mailbox) {
        this.mailbox = mailbox;
    }

    @GetMapping("/dev/mailbox")
    String list(Model model) {
        model.addAttribute("mails", mailbox.latest(SHOWN));
        model.addAttribute("shown", SHOWN);
        model.addAttribute("zone", ZoneOffset.UTC);
        return "notification/mailbox";
    }

    @GetMapping("/dev/mailbox/{id}")
    String mail(@PathVariable long id, Model model) {
        model.addAttribute("mail", mailbox.find(id).orElseThrow(() ->
                ProblemException.notFound("MAIL_NOT_FOUND", "problem.mail.notFound", String.valueOf(id))));
        model.addAttribute("zone", ZoneOffset.UTC);
        return "notification/mail";
    }
}
