package dev.modelgate.probe;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LayerMatcherTest {

    static LayerInfo layer(String name, String type, String family, boolean auto, String... attrs) {
        Map<String, String> a = new java.util.LinkedHashMap<>();
        for (int i = 0; i < attrs.length; i += 2) a.put(attrs[i], attrs[i + 1]);
        return new LayerInfo(name, type, family, List.of("x"), List.of("1"), "1", 0, 0, null, null, a, auto);
    }

    static LayerInfo conv(String name, int filters, boolean auto) {
        return layer(name, "conv2d", "conv", auto, "filters", Integer.toString(filters));
    }

    static List<String> summary(List<LayerChange> changes) {
        List<String> out = new ArrayList<>();
        for (LayerChange c : changes) out.add(c.kind().label() + " " + c.name() + (c.details().isEmpty() ? "" : " " + c.details()));
        return out;
    }

    @Test
    void anInsertedLayerIsOneAdditionNotAShiftOfEveryLaterLayer() {
        // Automatic names shift after an insertion (conv2d_2 becomes conv2d_3); alignment must not trust them.
        List<LayerInfo> a = List.of(conv("conv2d_1", 8, true), conv("conv2d_2", 16, true), layer("dense_1", "dense", "dense", true, "units", "10"));
        List<LayerInfo> b = List.of(conv("conv2d_1", 8, true), conv("conv2d_2", 12, true), conv("conv2d_3", 16, true), layer("dense_1", "dense", "dense", true, "units", "10"));
        assertEquals(List.of("unchanged conv2d_1", "added conv2d_2", "unchanged conv2d_2 -> conv2d_3", "unchanged dense_1"), summary(LayerMatcher.match(a, b)));
    }

    @Test
    void aRemovedLayerIsOneRemoval() {
        List<LayerInfo> a = List.of(conv("c1", 8, false), conv("c2", 16, false), conv("c3", 32, false));
        List<LayerInfo> b = List.of(conv("c1", 8, false), conv("c3", 32, false));
        assertEquals(List.of("unchanged c1", "removed c2", "unchanged c3"), summary(LayerMatcher.match(a, b)));
    }

    @Test
    void explicitNamesWinOverSimilarity() {
        // conv "b" changed its filters to look exactly like "a" used to; the names still say which is which.
        List<LayerInfo> a = List.of(conv("a", 8, false), conv("b", 16, false));
        List<LayerInfo> b = List.of(conv("a", 32, false), conv("b", 8, false));
        assertEquals(List.of("changed a [filters 8 -> 32]", "changed b [filters 16 -> 8]"), summary(LayerMatcher.match(a, b)));
    }

    @Test
    void aConvReplacedByASeparableConvIsAChangeOfType() {
        List<LayerInfo> a = List.of(conv("conv2d_1", 8, true), layer("dense_1", "dense", "dense", true, "units", "10"));
        List<LayerInfo> b = List.of(layer("separable_conv2d_1", "separable-conv2d", "conv", true, "filters", "8", "depth-multiplier", "1"),
                layer("dense_1", "dense", "dense", true, "units", "10"));
        assertEquals(List.of("changed conv2d_1 -> separable_conv2d_1 [type conv2d -> separable-conv2d, depth-multiplier (none) -> 1]", "unchanged dense_1"),
                summary(LayerMatcher.match(a, b)));
    }

    @Test
    void layersOfDifferentFamiliesAreNeverPaired() {
        List<LayerInfo> a = List.of(conv("conv2d_1", 8, true));
        List<LayerInfo> b = List.of(layer("dense_1", "dense", "dense", true, "units", "8"));
        assertEquals(List.of("removed conv2d_1", "added dense_1"), summary(LayerMatcher.match(a, b)));
    }
}
