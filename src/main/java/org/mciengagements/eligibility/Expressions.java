package org.mciengagements.eligibility;

import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mciengagements.engagement.ExpressionCheck;
import org.springframework.stereotype.Component;

/**
 * Compiles and evaluates the program's CEL expressions: customer criteria and referral conditions.
 * Expressions see two maps, {@code customer} (directory fields and attributes) and {@code claim}.
 * Each distinct expression is compiled once and its program cached; compilation is the slow part.
 * Numbers compare across int and double, so {@code customer.paidSeats >= 300} works whichever the
 * directory holds. The standard macros ({@code has}, {@code all}, {@code exists}, …) are enabled, so
 * a criterion can test for an attribute's presence.
 */
@Component
public class Expressions implements ExpressionCheck {

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .build();

    private final CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("customer", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("claim", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

    /** A compile error with its position (1-based line and column) and the compiler's message. */
    public record CompileError(int line, int column, String message) {}

    /** Checks an expression without caching it; an empty list means it compiles to a boolean. */
    public List<CompileError> check(String expression) {
        CelValidationResult result = compiler.compile(expression);
        if (!result.hasError()) {
            return List.of();
        }
        return result.getAllIssues().stream()
                .filter(issue -> issue.getSeverity() == CelIssue.Severity.ERROR)
                .map(issue -> new CompileError(issue.getSourceLocation().getLine(),
                        issue.getSourceLocation().getColumn() + 1, issue.getMessage()))
                .toList();
    }

    @Override
    public List<ExpressionError> compileErrors(String expression) {
        return check(expression).stream().map(e -> new ExpressionError(e.line(), e.column(), e.message())).toList();
    }

    /**
     * Evaluates an expression. Anything but {@code true} — false, a missing attribute, a type
     * mismatch — counts as not holding: a criterion holds only when it is shown to.
     */
    public boolean holds(String expression, Map<String, Object> customer, Map<String, Object> claim) {
        CelRuntime.Program program = programs.computeIfAbsent(expression, this::compile);
        try {
            return Boolean.TRUE.equals(program.eval(Map.of("customer", customer, "claim", claim)));
        } catch (CelEvaluationException e) {
            return false;
        }
    }

    private CelRuntime.Program compile(String expression) {
        try {
            return runtime.createProgram(compiler.compile(expression).getAst());
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalStateException("Expression does not compile: " + expression + ": " + e.getMessage(), e);
        }
    }
}
