package dev.modelgate.stats;

/**
 * A sequential test of a median against a limit with a few planned looks (docs/timing.md, "The protocol"). Looking
 * at a 95% interval after every new observation and stopping the first time it is clear of the limit errs far more
 * often than 5%: each look is another chance for noise to cross (Armitage's repeated significance tests; with the
 * median exactly at the limit, a look at every one of up to 40 simulated observations decided, wrongly, 38 of 100
 * sequences, and these planned looks 8: {@code PlannedLooksTest}; above 5% because a bootstrap interval of a handful
 * of values has coarse tails). Here the interval is looked at only at {@code first}, {@code 2 first},
 * {@code 4 first}, ... observations, at most {@code looks} times, each at level {@code 1 - alpha / looks}: by
 * Bonferroni's inequality all looks together err at most {@code alpha}. Doubling keeps the looks few while a clear
 * result still stops at the first one.
 *
 * <p>A decision may ask for precision too: an interval clear of the limit but wider than {@code precision} decides,
 * and sampling goes on to the next look, which can only narrow the interval around the estimate. It adds a
 * condition to stopping, never a way to decide, so the error bound above stands.
 *
 * <p>A third way to stop (a close call): an interval that still contains the limit but lies entirely within a band
 * of {@code closeCall} around it ({@code [limit / (1 + c), limit * (1 + c)]}) says the median is closer to the limit
 * than the measurement repeats from run to run, and more observations would narrow the interval without making the
 * verdict any more reproducible. Sampling then stops undecided (borderline), as at the last look. It never decides,
 * so it adds no error to the two decisions.
 */
public final class PlannedLooks {
    private final int first, looks, resamples;
    private final double level, limit, closeCall, precision;
    private final long seed;
    private int taken;
    private double[] interval = {Double.NaN, Double.NaN};
    private boolean decided, tooClose;

    /**
     * @param first     observations at the first look
     * @param looks     looks at most
     * @param alpha     the error of all looks together (0.05)
     * @param limit     what the median is compared with: decided when the interval lies above it, or at or below it
     * @param resamples bootstrap resamples per look
     * @param seed      the bootstrap's seed: the same observations always give the same interval
     */
    public PlannedLooks(int first, int looks, double alpha, double limit, int resamples, long seed) {
        this(first, looks, alpha, limit, resamples, seed, 0);
    }

    /** @param closeCall the band around the limit, relative (0.05: 5%), within which an undecided interval stops sampling; 0: none */
    public PlannedLooks(int first, int looks, double alpha, double limit, int resamples, long seed, double closeCall) {
        this(first, looks, alpha, limit, resamples, seed, closeCall, Double.POSITIVE_INFINITY);
    }

    /**
     * @param precision how wide, relative, an interval that decides may be for sampling to stop: at most
     *                  {@code 1 + precision} times its low end (0.10: the median known within about 5% either way);
     *                  a wider one decides, and sampling goes on to the next look (infinite: any width)
     */
    public PlannedLooks(int first, int looks, double alpha, double limit, int resamples, long seed, double closeCall, double precision) {
        if (first < 1 || looks < 1) throw new IllegalArgumentException("first and looks must be positive");
        if (!(closeCall >= 0)) throw new IllegalArgumentException("closeCall must be 0 or more");
        if (!(precision > 0)) throw new IllegalArgumentException("precision must be positive");
        this.closeCall = closeCall;
        this.precision = precision;
        this.first = first;
        this.looks = looks;
        this.level = 1 - alpha / looks;
        this.limit = limit;
        this.resamples = resamples;
        this.seed = seed;
    }

    /** The level of every look's interval. */
    public double level() { return level; }

    /** Observations at the last planned look: where sampling ends, decided or not. */
    public long last() { return (long) first << (looks - 1); }

    /** Whether a planned look falls at {@code n} observations (and one is left). */
    public boolean due(int n) {
        return taken < looks && n >= ((long) first << taken);
    }

    /**
     * Takes a look at {@code values}, planned or not (an unplanned one, where sampling had to end early, spends the next
     * planned look; with none left it only describes). Returns whether sampling may stop: the interval is clear of
     * the limit ({@link #decided}) and precise ({@link #precise}), or a close call ({@link #tooClose}).
     */
    public boolean look(double[] values) {
        interval = Statistics.bootstrapMedianInterval(values, level, resamples, seed);
        if (taken < looks) {
            taken++;
            decided = interval[0] > limit || interval[1] <= limit;
            tooClose = !decided && closeCall > 0 && interval[0] >= limit / (1 + closeCall) && interval[1] <= limit * (1 + closeCall);
        }
        return decided && precise() || tooClose;
    }

    /** Whether the last look's interval is as narrow as the precision asks (at most {@code 1 + precision} times its low end). */
    public boolean precise() {
        return interval[1] <= interval[0] * (1 + precision);
    }

    /** Whether the last planned look stopped undecided because its interval lies within the close-call band around the limit. */
    public boolean tooClose() { return tooClose; }

    /** The last look's interval (NaN before any). */
    public double[] interval() { return interval.clone(); }

    /** Whether a look has found the interval clear of the limit. */
    public boolean decided() { return decided; }

    /** Looks taken. */
    public int taken() { return taken; }
}
