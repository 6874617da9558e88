package dev.modelgate.spec;

/**
 * Where a pixel of an image goes in a flattened example: the order in which {@code probe.ProbeData} reshapes a row
 * into the model's input, channels, height, width (NCHW, DL4J's default) or height, width, channels for a
 * channels-last (Keras) model.
 */
record PixelLayout(int channels, int height, int width, boolean channelsLast) {
    static PixelLayout of(ResolvedModel model, Shape.Image image) {
        return new PixelLayout((int) image.channels(), (int) image.height(), (int) image.width(), model.spec().channelsLast());
    }

    /** The position of channel {@code c} of the pixel in row {@code y}, column {@code x}. */
    int index(int c, int y, int x) {
        return channelsLast ? (y * width + x) * channels + c : (c * height + y) * width + x;
    }

    int size() { return channels * height * width; }

    /** How a row is flattened, for messages. */
    String order() { return channelsLast ? "height, width, channels" : "channels, height, width"; }
}
