package dev.attune.contract;

/**
 * What a campaign changed, from its treated customers (sent to) and the customers it held out:
 * conversion rates, their difference with a 95% interval (normal approximation to the
 * difference of two proportions), revenue per customer, and a verdict that says so when there
 * are too few customers or conversions to tell.
 */
public record Uplift(
        int treated,
        int treatedConverted,
        double treatedRevenue,
        int heldOut,
        int heldOutConverted,
        double heldOutRevenue,
        double difference,
        double low,
        double high,
        String verdict) {

    /** Fewer customers than this in either group, or fewer conversions in all, and there is no verdict. */
    public static final int MIN_CUSTOMERS = 30;

    public static final int MIN_CONVERSIONS = 10;

    public static Uplift of(
            int treated,
            int treatedConverted,
            double treatedRevenue,
            int heldOut,
            int heldOutConverted,
            double heldOutRevenue) {
        double pt = treated == 0 ? 0 : (double) treatedConverted / treated;
        double ph = heldOut == 0 ? 0 : (double) heldOutConverted / heldOut;
        double diff = pt - ph;
        double se = treated == 0 || heldOut == 0
                ? Double.NaN
                : Math.sqrt(pt * (1 - pt) / treated + ph * (1 - ph) / heldOut);
        double low = diff - 1.96 * se;
        double high = diff + 1.96 * se;
        String verdict;
        if (treated < MIN_CUSTOMERS
                || heldOut < MIN_CUSTOMERS
                || treatedConverted + heldOutConverted < MIN_CONVERSIONS) {
            verdict = "too_few_customers";
        } else if (low > 0) {
            verdict = "more_conversions_when_sent";
        } else if (high < 0) {
            verdict = "fewer_conversions_when_sent";
        } else {
            verdict = "no_clear_difference";
        }
        return new Uplift(
                treated,
                treatedConverted,
                treatedRevenue,
                heldOut,
                heldOutConverted,
                heldOutRevenue,
                diff,
                Double.isNaN(se) ? 0 : low,
                Double.isNaN(se) ? 0 : high,
                verdict);
    }

    /** The difference in revenue per customer, treated minus held out, with a 95% interval. */
    public record RevenueDifference(double difference, double low, double high) {}

    /**
     * Revenue per customer compared: each group's mean and variance from its sum and sum of squares
     * (customers without an order count as 0), the difference with a 95% interval (Welch's normal
     * approximation); no interval (0, 0) when a group is empty.
     */
    public static RevenueDifference revenue(
            int treated,
            double treatedSum,
            double treatedSquares,
            int heldOut,
            double heldOutSum,
            double heldOutSquares) {
        if (treated == 0 || heldOut == 0) {
            return new RevenueDifference(0, 0, 0);
        }
        double mt = treatedSum / treated;
        double mh = heldOutSum / heldOut;
        double vt = Math.max(0, treatedSquares / treated - mt * mt);
        double vh = Math.max(0, heldOutSquares / heldOut - mh * mh);
        double se = Math.sqrt(vt / treated + vh / heldOut);
        double diff = mt - mh;
        return new RevenueDifference(diff, diff - 1.96 * se, diff + 1.96 * se);
    }

    public double treatedRate() {
        return treated == 0 ? 0 : (double) treatedConverted / treated;
    }

    public double heldOutRate() {
        return heldOut == 0 ? 0 : (double) heldOutConverted / heldOut;
    }
}
