package org.mciengagements.directory;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.mciengagements.shared.CustomerKey;

/**
 * One customer key as the directory knows it. {@code attributes} hold JSON-typed values
 * (integral numbers as {@link Long}, others as {@link Double}, booleans, strings).
 */
public record DirectoryCustomer(CustomerKey key, String displayName, String country, Long tpid, String ownerTenantId,
                                String segment, BigDecimal estimatedValueUsd, String opportunityState,
                                Map<String, Object> attributes) {

    /**
     * What criteria see as {@code customer}: the attributes plus the directory's own fields
     * ({@code name}, {@code country}, {@code segment}, {@code tpid}, {@code estimatedValueUsd},
     * {@code opportunityState}) where present. Attributes win over nothing: a built-in field is
     * only added when the attributes do not already define that name.
     */
    public Map<String, Object> criteriaView() {
        Map<String, Object> view = new HashMap<>(attributes);
        view.putIfAbsent("name", displayName);
        putIfPresent(view, "country", country);
        putIfPresent(view, "segment", segment);
        putIfPresent(view, "tpid", tpid);
        putIfPresent(view, "estimatedValueUsd", estimatedValueUsd == null ? null : estimatedValueUsd.doubleValue());
        putIfPresent(view, "opportunityState", opportunityState);
        return view;
    }

    private static void putIfPresent(Map<String, Object> view, String name, Object value) {
        if (value != null) {
            view.putIfAbsent(name, value);
        }
    }
}
