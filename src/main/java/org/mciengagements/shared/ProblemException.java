package org.mciengagements.shared;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refusal the caller can act on: an HTTP status, a stable {@code code}, a message key for the
 * human text, and per-field problems. Rendered as {@code application/problem+json} by the API and
 * as an error page by the web pages.
 */
public class ProblemException extends RuntimeException {

    /** One field's problem: the field path, a stable code, a message key and its arguments. */
    public record FieldProblem(String field, String code, String messageKey, List<Object> args) {
        public FieldProblem(String field, String code, String messageKey) {
            this(field, code, messageKey, List.of());
        }
    }

    private final HttpStatus status;
    private final String code;
    private final String messageKey;
    private final List<Object> args;
    private final List<FieldProblem> fieldProblems;
    private final Map<String, Object> properties;

    public ProblemException(HttpStatus status, String code, String messageKey, List<Object> args,
                            List<FieldProblem> fieldProblems, Map<String, Object> properties) {
        super(code + ": " + messageKey + " " + args);
        this.status = status;
        this.code = code;
        this.messageKey = messageKey;
        this.args = List.copyOf(args);
        this.fieldProblems = List.copyOf(fieldProblems);
        this.properties = Map.copyOf(properties);
    }

    public static ProblemException notFound(String code, String messageKey, Object... args) {
        return new ProblemException(HttpStatus.NOT_FOUND, code, messageKey, List.of(args), List.of(), Map.of());
    }

    public static ProblemException forbidden(String code, String messageKey, Object... args) {
        return new ProblemException(HttpStatus.FORBIDDEN, code, messageKey, List.of(args), List.of(), Map.of());
    }

    public static ProblemException conflict(String code, String messageKey, Object... args) {
        return new ProblemException(HttpStatus.CONFLICT, code, messageKey, List.of(args), List.of(), Map.of());
    }

    public static ProblemException badRequest(List<FieldProblem> fieldProblems) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", "problem.validation", List.of(),
                fieldProblems, Map.of());
    }

    public static ProblemException badRequest(String field, String code, String messageKey) {
        return badRequest(List.of(new FieldProblem(field, code, messageKey)));
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String messageKey() {
        return messageKey;
    }

    public List<Object> args() {
        return args;
    }

    public List<FieldProblem> fieldProblems() {
        return fieldProblems;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
