package org.mciengagements.engagement;

import java.util.List;

/**
 * Compiles a CEL expression of the program (criterion, referral condition) without running it.
 * Implemented by the eligibility module, which runs them; declared here so that engagement
 * configuration can refuse an expression that does not compile without depending on eligibility.
 */
public interface ExpressionCheck {

    /** A compile error at a 1-based line and column, with the compiler's message. */
    record ExpressionError(int line, int column, String message) {}

    /** Every compile error of the expression; empty when it compiles to a boolean. */
    List<ExpressionError> compileErrors(String expression);
}
