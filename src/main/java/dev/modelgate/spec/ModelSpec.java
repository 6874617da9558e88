package dev.modelgate.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model as modelgate understands it, whatever file it came from: its inputs (one, except for DL4J graphs with
 * several), nodes in topological order (the last is the output), and a training section.
 *
 * @param inputs     the network's inputs in the order the network takes them, each with the shape of one example
 *                   where the config determines it (empty where only --input-shape can say)
 * @param data       the spec's own examples (a CSV file), or null for synthetic data
 * @param baseline   the config this one is a modification of ({@code baseline:}, resolved against the spec's
 *                   directory), or null; {@code modelgate audit} pairs them
 * @param weights    a DL4J model zip (ModelSerializer) whose trained parameters the model starts from, or null
 * @param nativeConfig the DL4J configuration object the model was read from (a MultiLayerConfiguration or
 *                     ComputationGraphConfiguration), or null for a modelgate spec; it is what gets built and run, so
 *                     a DL4J config runs exactly as written
 * @param channelsLast  images are fed as batch x height x width x channels (NHWC: Keras's default, and DL4J layers
 *                      configured so); shapes are still written channels x height x width
 * @param notes         what modelgate had to decide about this model that its file did not say (for a Keras model
 *                      without a training config, the loss its output layer trains with); shown in every report
 * @param lossAssumed   the output layer's loss was guessed from its activation, not given by the file, --loss or the
 *                      other model; a check replaces it with the other model's loss where that has one
 * @param initFromOriginal {@code init: from-original}: as the modified model of a check, the layers matched to the
 *                      original's start from the original's (trained) weights where their parameters have the same
 *                      shapes; the others initialize as configured
 */
public record ModelSpec(Path source, SourceFormat format, String name, List<Input> inputs,
                        List<Node> nodes, Training training, DataSpec data, Path baseline, Path weights, Object nativeConfig,
                        boolean channelsLast, List<String> notes, boolean lossAssumed, boolean initFromOriginal) {

    public ModelSpec {
        if (inputs.isEmpty()) throw new IllegalArgumentException("a model has at least one input");
        inputs = List.copyOf(inputs);
        NodeLimit.check(source, nodes.size()); // however the model was read (a Keras import has no tree of ours)
        nodes = List.copyOf(nodes);
        notes = List.copyOf(notes);
    }

    /** A model whose file says everything about it: no layout flag, nothing decided for it. */
    public ModelSpec(Path source, SourceFormat format, String name, Optional<Shape> inputShape, String inputName,
                     List<Node> nodes, Training training, DataSpec data, Path baseline, Path weights, Object nativeConfig) {
        this(source, format, name, List.of(new Input(inputName, inputShape)), nodes, training, data, baseline, weights, nativeConfig, false, List.of(), false, false);
    }

    /** A network input: its name (what the first layers read) and the shape of one example, where the config gives it. */
    public record Input(String name, Optional<Shape> shape) {}

    /** The name of the first input (the only one, except in a DL4J graph with several). */
    public String inputName() { return inputs.get(0).name(); }

    /** The first input's shape, where the config determines it. */
    public Optional<Shape> inputShape() { return inputs.get(0).shape(); }

    public boolean isInput(String node) {
        return inputs.stream().anyMatch(i -> i.name().equals(node));
    }

    public List<String> inputNames() {
        return inputs.stream().map(Input::name).toList();
    }

    public Node output() { return nodes.get(nodes.size() - 1); }

    /** What the model trains against: its output head's activation and loss. */
    public record Head(String activation, String loss) {}

    /**
     * The head the model trains with: an OutputLayer or RnnOutputLayer, or any other DL4J head (LossLayer,
     * CnnLossLayer, RnnLossLayer, Yolo2OutputLayer, CenterLossOutputLayer, ...); empty when the model ends in
     * something that has no loss (it can be inspected, not trained).
     */
    public Optional<Head> head() {
        LayerOp op = output().op();
        if (op instanceof LayerOp.Output o) return Optional.of(new Head(o.activation(), o.loss()));
        if (op instanceof LayerOp.Native n && n.loss() != null) return Optional.of(new Head(n.activation() == null ? "identity" : n.activation(), n.loss()));
        return Optional.empty();
    }

    /** The head, or a one-line error saying why a model without one cannot be trained. */
    public Head trainableHead() {
        return head().orElseThrow(() -> new dev.modelgate.error.BadInputException(source, dev.modelgate.error.Location.UNKNOWN,
                "layer '" + output().name() + "'", "the model must end in an output layer (OutputLayer, RnnOutputLayer, LossLayer, "
                + "CnnLossLayer, ...) to be trained; it ends in " + output().op().type() + " (inspect --static and check --static still read it)"));
    }

    public Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The same model with these inputs (names and shapes). */
    public ModelSpec withInputs(List<Input> given) {
        return new ModelSpec(source, format, name, given, nodes, training, data, baseline, weights, nativeConfig,
                channelsLast, notes, lossAssumed, initFromOriginal);
    }

    public ModelSpec withWeights(Path zip) {
        return new ModelSpec(source, format, name, inputs, nodes, training, data, baseline, zip, nativeConfig,
                channelsLast, notes, lossAssumed, initFromOriginal);
    }

    /** The model with other examples ({@code --data}) in place of its own data section. */
    public ModelSpec withData(DataSpec d) {
        return new ModelSpec(source, format, name, inputs, nodes, training, d, baseline, weights, nativeConfig,
                channelsLast, notes, lossAssumed, initFromOriginal);
    }

    public ModelSpec withInitFromOriginal(boolean from) {
        return new ModelSpec(source, format, name, inputs, nodes, training, data, baseline, weights, nativeConfig,
                channelsLast, notes, lossAssumed, from);
    }

    public ModelSpec withChannelsLast(boolean last) {
        return new ModelSpec(source, format, name, inputs, nodes, training, data, baseline, weights, nativeConfig,
                last, notes, lossAssumed, initFromOriginal);
    }

    public ModelSpec withNote(String note, boolean assumed) {
        List<String> more = new java.util.ArrayList<>(notes);
        more.add(note);
        return new ModelSpec(source, format, name, inputs, nodes, training, data, baseline, weights, nativeConfig,
                channelsLast, more, assumed, initFromOriginal);
    }
}
