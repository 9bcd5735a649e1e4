package org.mciengagements.claim.web;

import java.util.Locale;
import org.mciengagements.claim.CustomersPage;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProblemException;

/** Reads the Customers page query parameters the same way for pages, API and CSV. */
final class CustomersRequests {

    private CustomersRequests() {}

    static CustomersPage.Request of(String tab, String q, String sort, String order, String cursor, Integer limit) {
        return new CustomersPage.Request(tab(tab), q, sort(sort), descending(order), Cursor.decode(cursor, "cursor"),
                Cursor.limit(limit));
    }

    static CustomersPage.Request all(String tab, String q, String sort, String order) {
        return new CustomersPage.Request(tab(tab), q, sort(sort), descending(order), null, Integer.MAX_VALUE);
    }

    static CustomersPage.Tab tab(String tab) {
        return parse(CustomersPage.Tab.class, tab, CustomersPage.Tab.ELIGIBLE, "tab");
    }

    private static CustomersPage.Sort sort(String sort) {
        return parse(CustomersPage.Sort.class, sort, CustomersPage.Sort.NAME, "sort");
    }

    private static boolean descending(String order) {
        if (order == null || order.isBlank() || order.equalsIgnoreCase("asc")) {
            return false;
        }
        if (order.equalsIgnoreCase("desc")) {
            return true;
        }
        throw ProblemException.badRequest("order", "INVALID_VALUE", "problem.field.invalidValue");
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback, String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "INVALID_VALUE", "problem.field.invalidValue");
        }
    }
}
