/**
 * Building blocks every capability uses: the program clock, customer identifiers and keys,
 * keyset paging, and the problem-details error model of the API.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.mciengagements.shared;
