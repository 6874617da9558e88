package dev.modelgate.render;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.CheckReport;
import dev.modelgate.rule.Thresholds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the HTML report of one check to a file, for scripts/html-screenshot while the CLI cannot yet write
 * {@code --report html=PATH}. Usage: {@code HtmlReportMain ORIGINAL MODIFIED OUT.html [--static]}.
 */
public final class HtmlReportMain {
    private HtmlReportMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: HtmlReportMain ORIGINAL MODIFIED OUT.html [--static]");
            System.exit(2);
        }
        CheckOptions options = args.length > 3 && args[3].equals("--static") ? CheckOptions.STATIC : CheckOptions.RUN;
        CheckReport report = new Checker(Thresholds.defaults()).check(Path.of(args[0]), Path.of(args[1]), options);
        Files.writeString(Path.of(args[2]), new HtmlRenderer().render(report), StandardCharsets.UTF_8);
        System.exit(0); // ND4J leaves non-daemon threads behind
    }
}
