package org.mciengagements.shared.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mciengagements.shared.ProblemException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Page forms that post, redirect back to the page they came from and show the outcome there: a
 * {@code notice} on success, or on a refusal a {@code problem} text plus each field's message
 * under the field's path ({@code reason}, {@code files[2]}), in the caller's language. A refusal
 * for something that does not exist for the caller is not shown on a page that would not exist
 * either: it goes to the error page.
 */
@Component
public class FormProblems {

    private final MessageSource messages;

    FormProblems(MessageSource messages) {
        this.messages = messages;
    }

    /** The refusal as flash attributes {@code problem} and {@code errorsAttribute} (field path → message). */
    public void reject(ProblemException e, RedirectAttributes redirect, String errorsAttribute) {
        if (e.status() == HttpStatus.NOT_FOUND) {
            throw e;
        }
        redirect.addFlashAttribute(errorsAttribute, fieldMessages(e));
        redirect.addFlashAttribute("problem", text(e.messageKey(), e.args()));
    }

    /** Each field's first message, by field path, in the order the problems were found. */
    public Map<String, String> fieldMessages(ProblemException e) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.fieldProblems().forEach(f -> errors.putIfAbsent(f.field(), text(f.messageKey(), f.args())));
        return errors;
    }

    /** A success message as flash attribute {@code notice}. */
    public void notice(RedirectAttributes redirect, String key, Object... args) {
        redirect.addFlashAttribute("notice", text(key, List.of(args)));
    }

    private String text(String key, List<Object> args) {
        return messages.getMessage(key, args.toArray(), key, LocaleContextHolder.getLocale());
    }
}
