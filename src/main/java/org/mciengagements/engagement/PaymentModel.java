package org.mciengagements.engagement;

public enum PaymentModel { FIXED, VARIABLE }
