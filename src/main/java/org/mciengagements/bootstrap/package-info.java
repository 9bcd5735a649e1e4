/**
 * Starting a program from files. When the database holds no partner yet, the program at
 * {@code mci.program.location} (default {@code classpath:program/demo/}; an operator points it at
 * {@code file:/some/dir/} for their own) is loaded in one transaction: {@code program.yaml} with
 * markets, partners and locations, users with their roles and (hashed) passwords, and every
 * engagement with its criteria, deadlines, payouts, rate cards and referral policy; then the
 * directory CSV files ({@code tenants.csv}, {@code tpids.csv}, {@code subscriptions.csv},
 * {@code opportunities.csv}). A database that already has a partner is never loaded again, so a
 * restart keeps whatever happened since; servers starting together agree through an advisory lock.
 *
 * <p>Days in the files (claim windows, rate-card dates) may be written relative to the load date,
 * so the demo is current whenever it is first started. Anything the program's rules do not allow
 * (a VARIABLE engagement accepting domains, a criterion that does not compile, a role on another
 * partner's location, a malformed CSV row) fails the start, and nothing is written.
 *
 * <p>With {@code mci.demo.enabled} (on in the embedded run) the claims of {@code demo-claims.yaml}
 * are added: each is replayed from its creation to its final status through the claim lifecycle,
 * leaving the deadlines, payouts, history and known customers the lifecycle would have left, and
 * telling other modules what the claim's moves told them live: the referral module makes the demo
 * referrals from those events by its own rules, and the decisions the file lists go through its
 * API. This module writes the other modules' tables directly: it seeds them before any of their use
 * cases run, and goes through a module's API where one exists (engagements, the directory import,
 * referrals).
 */
package org.mciengagements.bootstrap;
