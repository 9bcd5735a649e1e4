package org.mciengagements.eligibility;

import java.time.Instant;
import java.util.Optional;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.program.Location;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;

/**
 * Everything one eligibility decision depends on.
 *
 * @param nominatedAs the identifier type the partner used; null for a known customer, whose key
 *                    is accepted when any allowed identifier type leads to its kind of key
 * @param customer    the directory entry of exactly {@code key}, if any
 */
public record Question(Engagement engagement, Location location, IdentifierType nominatedAs, CustomerKey key,
                       Optional<DirectoryCustomer> customer, MarketFacts market, Instant now) {}
