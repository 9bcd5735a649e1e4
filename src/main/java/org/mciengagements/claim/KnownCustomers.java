package org.mciengagements.claim;

import java.util.Optional;
import org.mciengagements.shared.IdentifierType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** A partner's known customers: customer keys that consented to it on an earlier claim. */
@Service
public class KnownCustomers {

    private final JdbcClient jdbc;

    KnownCustomers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What Claim customer starts from: the identifier and the contacts of the latest consent. */
    public record Prefill(IdentifierType identifierType, String identifierValue, String customerName,
                          String customerEmail, String customerPhone, String customerLanguage, String partnerName,
                          String partnerEmail, String partnerPhone) {}

    public Optional<Prefill> prefill(String partnerId, String customerKey) {
        return jdbc.sql("""
                        select k.identifier_type, k.identifier_value, c.customer_contact_name, c.customer_contact_email,
                               c.customer_contact_phone, c.customer_contact_language, c.partner_contact_name,
                               c.partner_contact_email, c.partner_contact_phone
                        from known_customer k join claim c on c.id = k.last_claim_id
                        where k.partner_id = ? and k.customer_key = ?""")
                .params(partnerId, customerKey)
                .query((rs, n) -> new Prefill(IdentifierType.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9)))
                .optional();
    }
}
