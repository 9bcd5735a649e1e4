-- The Complete tab of the Customers page, sorted by name (its default), read in index order to the
-- page's size: without it a page read and sorted all of the partner's ended claims of the
-- engagement (Contoso's Copilot Readiness Workshop at scale: 2,102 claims, 1,630 heap pages, 5 ms,
-- for each page of 50). The statuses are those of ClaimStatus.COMPLETE_TAB; the page statement
-- names them as literals, so that its generic plan can prove this predicate.
create index claim_complete_by_name on claim (partner_id, engagement_id, lower(customer_name), id)
    where status in ('COMPLETED', 'CANCELED', 'NOT_SUBMITTED_EXPIRED', 'POST_SUBMISSION_EXPIRED',
                     'DISPUTE_EXPIRED', 'REJECTED_FINAL');
