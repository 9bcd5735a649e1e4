package org.mciengagements.claim;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import org.mciengagements.claim.ClaimLifecycle.ClaimRef;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.notification.Email;
import org.mciengagements.notification.MailDates;
import org.mciengagements.notification.Outbox;
import org.mciengagements.security.UserAccounts;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mails to a claim's partner contact about the claim, in the language of the user who made the
 * claim. Every template gets the friendly name first (its subject's argument), then the customer,
 * the engagement, the claim ID and the contact's name; callers add what their mail needs.
 */
@Component
public class PartnerMails {

    private final Outbox outbox;
    private final EngagementCatalog catalog;
    private final UserAccounts accounts;

    PartnerMails(Outbox outbox, EngagementCatalog catalog, UserAccounts accounts) {
        this.outbox = outbox;
        this.catalog = catalog;
        this.accounts = accounts;
    }

    /**
     * Queues a mail in the caller's transaction. {@code dedupeKey} names the state change, so the
     * same change never mails twice; {@code deadline}, when given, is shown in UTC.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void send(ClaimRef claim, String template, String dedupeKey, Instant deadline, Map<String, Object> extra,
                     Instant now) {
        String language = accounts.language(claim.createdBy()).orElse("en");
        outbox.enqueue(email(claim, template, dedupeKey, deadline, extra, language), now);
    }

    /**
     * {@link #send} for many claims in one transaction (the deadline job's batches): the creators'
     * languages in one query, the mails in one insert.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void sendAll(List<ClaimRef> claims, String template, Function<ClaimRef, String> dedupeKey,
                        Function<ClaimRef, Instant> deadline, Instant now) {
        if (claims.isEmpty()) {
            return;
        }
        Map<String, String> languages = accounts.languages(claims.stream().map(ClaimRef::createdBy).distinct().toList());
        outbox.enqueueAll(claims.stream().map(claim -> email(claim, template, dedupeKey.apply(claim),
                deadline.apply(claim), Map.of(), languages.getOrDefault(claim.createdBy(), "en"))).toList(), now);
    }

    private Email email(ClaimRef claim, String template, String dedupeKey, Instant deadline, Map<String, Object> extra,
                        String language) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("friendlyName", claim.friendlyName());
        model.put("customerName", claim.customerName());
        model.put("engagementName", catalog.find(claim.engagementId()).map(Engagement::name).orElse(claim.engagementId()));
        model.put("claimId", String.valueOf(claim.id()));
        model.put("contactName", claim.partnerContact().name());
        if (deadline != null) {
            model.put("deadline", MailDates.dateTime(deadline, language));
        }
        model.putAll(extra);
        return new Email(dedupeKey, claim.id(), template, claim.partnerContact().email(), language, model);
    }
}
