package dev.modelgate.text;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message templates: a mistake is an error where the template is declared or filled, never a half-filled message. */
class TemplateTest {
    static final Template GROWTH = Template.of("{layer}: output channels {from} -> {to} ({measured}x, max allowed {limit}x)", "layer", "from", "to");

    @Test
    void fillsArgumentsAndTheResultsMeasuredValueAndLimit() {
        assertEquals("conv2: output channels 50 -> 200 (4.0x, max allowed 2.0x)",
                GROWTH.fill(4.0, 2.0, Arg.text("layer", "conv2"), Arg.integer("from", 50), Arg.integer("to", 200)));
        assertEquals(Set.of("layer", "from", "to", "measured", "limit"), GROWTH.placeholders());
        assertEquals(Set.of("layer", "from", "to"), GROWTH.arguments());
        assertTrue(GROWTH.shows(Template.MEASURED));
    }

    @Test
    void measuredAndLimitAreFormattedAsTheColumnsAre() {
        Template t = Template.of("{measured} / {limit}");
        for (double v : new double[] {4.0, 0.4625, 1e-5, 12345.6, 0, -1000}) {
            assertEquals(Numbers.value(v) + " / " + Numbers.value(v), t.fill(v, v));
        }
    }

    @Test
    void aPlaceholderThatIsNotDeclaredIsAnErrorWhereTheTemplateIsDeclared() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Template.of("{layer}: {widht} units", "layer", "width"));
        assertTrue(e.getMessage().contains("{width}") || e.getMessage().contains("{widht}"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Template.of("{layer}: units", "layer", "width"), "declared, never shown");
        assertThrows(IllegalArgumentException.class, () -> Template.of("{layer: units", "layer"), "unclosed brace");
        assertThrows(IllegalArgumentException.class, () -> Template.of("layer}: units"), "stray brace");
        assertThrows(IllegalArgumentException.class, () -> Template.of("{}"), "empty placeholder");
        assertThrows(IllegalArgumentException.class, () -> Template.of("{measured}", "measured"), "measured is not an argument");
        assertThrows(IllegalArgumentException.class, () -> Template.of("{a}", "a", "a"), "declared twice");
    }

    @Test
    void aMissingUnknownOrRepeatedArgumentIsAnErrorWhenFilled() {
        assertThrows(IllegalArgumentException.class, () -> GROWTH.fill(4.0, 2.0, Arg.text("layer", "conv2"), Arg.integer("from", 50)));
        assertThrows(IllegalArgumentException.class, () -> GROWTH.fill(4.0, 2.0, Arg.text("layer", "conv2"), Arg.integer("from", 50),
                Arg.integer("to", 200), Arg.text("extra", "x")));
        assertThrows(IllegalArgumentException.class, () -> GROWTH.fill(4.0, 2.0, Arg.text("layer", "a"), Arg.text("layer", "b"),
                Arg.integer("from", 50), Arg.integer("to", 200)));
        assertThrows(IllegalArgumentException.class, () -> GROWTH.fill(null, 2.0, Arg.text("layer", "conv2"), Arg.integer("from", 50),
                Arg.integer("to", 200)), "{measured} shown without a measured value");
        assertThrows(IllegalArgumentException.class, () -> Arg.text("layer", null));
    }

    @Test
    void extractReadsAPlaceholderBackOutOfAMessage() {
        String m = GROWTH.fill(4.0, 2.0, Arg.text("layer", "conv2"), Arg.integer("from", 50), Arg.integer("to", 200));
        assertEquals("4.0", GROWTH.extract(m, Template.MEASURED));
        assertEquals("2.0", GROWTH.extract(m, Template.LIMIT));
        assertEquals("conv2", GROWTH.extract(m, "layer"));
        assertNull(GROWTH.extract("something else", Template.MEASURED));
        Template twice = Template.of("{a} and {a} and {b}", "a", "b");
        assertEquals("y", twice.extract("x and x and y", "b"));
        assertNull(twice.extract("x and z and y", "b"), "a repeated placeholder must read the same");
    }
}
