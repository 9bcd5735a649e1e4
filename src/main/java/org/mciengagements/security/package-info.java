/**
 * Who the caller is and what they may do. Incentives roles are held per location; referral
 * administration is partner-wide; reviewers, operators and sellers are vendor staff with no
 * partner. A partner user only ever sees their own partner's data: every partner-scoped query
 * takes the partner from {@link org.mciengagements.security.CurrentUser}, never from the request.
 */
package org.mciengagements.security;
