package dev.modelgate.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one number formatter: what each function writes. */
class NumbersTest {
    @Test
    void valuesShowTwoToFourSignificantDigits() {
        assertEquals("4.0", Numbers.value(4.0));
        assertEquals("2.0", Numbers.value(2.0));
        assertEquals("-3.0", Numbers.value(-3.0));
        assertEquals("0", Numbers.value(0.0));
        assertEquals("0.25", Numbers.value(0.25));
        assertEquals("0.4625", Numbers.value(0.4625));
        assertEquals("2.448", Numbers.value(2.4477904361076845));
        assertEquals("15.57", Numbers.value(15.5697));
        assertEquals("16", Numbers.value(16.0));
        assertEquals("100", Numbers.value(100.0));
        assertEquals("-1000", Numbers.value(-1e3));
        assertEquals("0.001", Numbers.value(0.001));
    }

    @Test
    void tinyAndHugeValuesAreScientific() {
        assertEquals("1.0e-5", Numbers.value(1e-5));
        assertEquals("1.9e-11", Numbers.value(1.9e-11));
        assertEquals("6500", Numbers.value(6500.0));
        assertEquals("1.2e+4", Numbers.value(12345.0));
        assertEquals("1.0e+4", Numbers.value(9999.9), "rounding up to 1e4 goes scientific too");
        assertEquals("NaN", Numbers.value(Double.NaN));
        assertEquals("Infinity", Numbers.value(Double.POSITIVE_INFINITY));
    }

    @Test
    void missingValuesAndRatios() {
        assertEquals("-", Numbers.value((Double) null));
        assertEquals("4.0x", Numbers.ratio(4.0));
        assertEquals("1.223x", Numbers.ratio(1.223));
    }

    @Test
    void countsSizesDurations() {
        assertEquals("431,080", Numbers.count(431_080));
        assertEquals("2.29M", Numbers.compact(2_293_000));
        assertEquals("69.2K", Numbers.compact(69_152));
        assertEquals("950", Numbers.compact(950));
        assertEquals("950 ms", Numbers.seconds(950));
        assertEquals("12.3 s", Numbers.seconds(12_300));
        assertEquals("0", Numbers.decimalSeconds(0));
        assertEquals("1.234", Numbers.decimalSeconds(1234));
        assertEquals("12.5%", Numbers.percent(0.125));
        assertEquals("0%", Numbers.percent(0));
        assertEquals("0.0312", Numbers.sci(0.03123));
        assertEquals("Inf", Numbers.sci(Double.POSITIVE_INFINITY));
        assertEquals("a -> b", Numbers.pair("a", "b"));
        assertEquals("a", Numbers.pair("a", "a"));
        assertEquals("b", Numbers.pair(null, "b"));
    }
}
