package org.mciengagements.shared.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mciengagements.shared.ProblemException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns refusals into answers: {@code application/problem+json} (RFC 9457) with a stable
 * {@code code} and per-field {@code errors} for the API, an error page for the web pages.
 * Human texts come from the message bundles in the caller's language.
 * Ordered before Spring Boot's own problem-details advice (order 0), which would otherwise answer
 * malformed bodies, wrong media types and methods without a {@code code}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemHandlers {

    private final MessageSource messages;

    ProblemHandlers(MessageSource messages) {
        this.messages = messages;
    }

    @ExceptionHandler(ProblemException.class)
    Object problem(ProblemException e, HttpServletRequest request, HttpServletResponse response) {
        return respond(e, request, response);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    Object typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request, HttpServletResponse response) {
        return respond(ProblemException.badRequest(e.getName(), "INVALID_VALUE", "problem.field.invalidValue"),
                request, response);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    Object missing(MissingServletRequestParameterException e, HttpServletRequest request, HttpServletResponse response) {
        return respond(ProblemException.badRequest(e.getParameterName(), "REQUIRED", "problem.field.required"),
                request, response);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    Object unreadable(HttpMessageNotReadableException e, HttpServletRequest request, HttpServletResponse response) {
        return respond(new ProblemException(HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST", "problem.malformed",
                List.of(), List.of(), Map.of()), request, response);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    Object mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request, HttpServletResponse response) {
        return respond(new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
                "problem.mediaType", List.of(), List.of(), Map.of()), request, response);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    Object method(HttpRequestMethodNotSupportedException e, HttpServletRequest request, HttpServletResponse response) {
        return respond(new ProblemException(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "problem.method",
                List.of(), List.of(), Map.of()), request, response);
    }

    @ExceptionHandler(org.springframework.web.multipart.MaxUploadSizeExceededException.class)
    Object tooLarge(Exception e, HttpServletRequest request, HttpServletResponse response) {
        return respond(new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "REQUEST_TOO_LARGE", "claim.files.requestTooLarge",
                List.of(), List.of(new ProblemException.FieldProblem("files", "REQUEST_TOO_LARGE",
                "claim.files.requestTooLarge")), Map.of()), request, response);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    Object noResource(NoResourceFoundException e, HttpServletRequest request, HttpServletResponse response) {
        return respond(ProblemException.notFound("NOT_FOUND", "problem.notFound"), request, response);
    }

    private Object respond(ProblemException e, HttpServletRequest request, HttpServletResponse response) {
        Locale locale = LocaleContextHolder.getLocale();
        if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(toProblemDetail(e, request, locale));
        }
        response.setStatus(e.status().value());
        ModelAndView page = new ModelAndView("error");
        page.setStatus(e.status());
        page.addObject("status", e.status().value());
        page.addObject("code", e.code());
        page.addObject("message", text(e.messageKey(), e.args(), locale));
        page.addObject("fieldProblems", e.fieldProblems().stream()
                .map(f -> Map.of("field", f.field(), "message", text(f.messageKey(), f.args(), locale))).toList());
        return page;
    }

    public ProblemDetail toProblemDetail(ProblemException e, HttpServletRequest request, Locale locale) {
        ProblemDetail detail = ProblemDetail.forStatusAndDetail(e.status(), text(e.messageKey(), e.args(), locale));
        detail.setTitle(e.status().getReasonPhrase());
        detail.setInstance(URI.create(request.getRequestURI()));
        detail.setProperty("code", e.code());
        if (!e.fieldProblems().isEmpty()) {
            detail.setProperty("errors", e.fieldProblems().stream()
                    .map(f -> Map.of("field", f.field(), "code", f.code(), "message", text(f.messageKey(), f.args(), locale)))
                    .toList());
        }
        e.properties().forEach(detail::setProperty);
        return detail;
    }

    private String text(String key, List<Object> args, Locale locale) {
        return messages.getMessage(key, args.toArray(), key, locale);
    }
}
