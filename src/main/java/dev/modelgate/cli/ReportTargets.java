package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;
import dev.modelgate.io.OutputPolicy;
import dev.modelgate.render.Renderer;
import dev.modelgate.render.Renderers;
import dev.modelgate.render.Style;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code --report FORMAT=PATH} targets of one command: parsed and held to the core's {@link OutputPolicy}
 * before anything is measured, written once the report is complete. {@code PATH} {@code -} (or
 * {@code /dev/stdout}) puts that report on stdout, in place of the {@code --format} one.
 */
final class ReportTargets {
    /** @param path the file, or null for stdout */
    record Target(String format, Path path) {}

    private final List<Target> files;
    private final Target stdout;

    private ReportTargets(List<Target> files, Target stdout) {
        this.files = files;
        this.stdout = stdout;
    }

    /**
     * Parses the option values and refuses, with the reason, any target the policy forbids.
     *
     * @param inputs every file the run reads: a report is never written over one
     */
    /** @param runInputs what the run reads, listed only where a report goes to a file (listing parses every spec) */
    static ReportTargets of(List<String> specs, java.util.function.Supplier<Collection<Path>> runInputs) {
        Collection<Path> inputs = null;
        List<Target> files = new ArrayList<>();
        Target stdout = null;
        for (String r : specs) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) throw BadInputException.usage("--report takes FORMAT=PATH (e.g. json=report.json, or json=- for stdout), got '" + r + "'");
            String format = r.substring(0, eq), path = r.substring(eq + 1);
            checkFormat(format, "--report");
            if (OutputPolicy.isStdout(path)) {
                if (stdout != null) throw BadInputException.usage("--report " + r + ": stdout already carries the " + stdout.format() + " report; give one report for stdout");
                stdout = new Target(format, null);
            } else {
                Path p = Path.of(path);
                if (inputs == null) inputs = runInputs.get();
                OutputPolicy.check(p, inputs);
                files.add(new Target(format, p));
            }
        }
        return new ReportTargets(List.copyOf(files), stdout);
    }

    static void checkFormat(String f, String option) {
        if (Renderers.exists(f)) return;
        throw BadInputException.usage(option + ": unknown format '" + f + "'; valid: " + String.join(", ", Renderers.names()));
    }

    /** Every format asked for, the stdout one included. */
    List<String> formats() {
        List<String> out = new ArrayList<>();
        files.forEach(t -> out.add(t.format()));
        if (stdout != null) out.add(stdout.format());
        return out;
    }


    /**
     * Writes the report files (plain, whole or not at all), then stdout: the {@code -} report if one was asked for,
     * else {@code defaultStdout} (null: nothing, as with --quiet).
     */
    void emit(Function<Renderer, String> render, Runnable defaultStdout, PrintWriter out) {
        for (Target t : files) OutputPolicy.write(t.path(), render.apply(Renderers.create(t.format(), Style.PLAIN, RuleCatalogs.CURRENT)));
        if (stdout != null) {
            out.print(render.apply(Renderers.create(stdout.format(), Style.PLAIN, RuleCatalogs.CURRENT)));
            out.flush();
        } else if (defaultStdout != null) {
            defaultStdout.run();
        }
    }
}
