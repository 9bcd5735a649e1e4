/**
 * Customer consent (SPEC §9). The partner sends the consent email — fixing the estimated deal size
 * for good — and may resend it once a day; each email carries a new link and kills the old one.
 * A link's token is 256 random bits, stored only as its SHA-256, valid until the consent deadline,
 * usable once, and only while its claim awaits consent: when another partner's customer consents
 * first, the claim is canceled and the link stops working with it. Accepting re-checks, under the
 * same PostgreSQL lock as nominations, that no other partner holds consent: the first wins.
 */
package org.mciengagements.consent;
