package org.mciengagements.engagement;

/** Where today falls relative to an engagement's claim window. */
public enum Availability { UPCOMING, ACTIVE, RETIRED }
