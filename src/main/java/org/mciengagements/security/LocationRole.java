package org.mciengagements.security;

/** Roles granted per partner location. */
public enum LocationRole { INCENTIVES_ADMIN, INCENTIVES_USER }
