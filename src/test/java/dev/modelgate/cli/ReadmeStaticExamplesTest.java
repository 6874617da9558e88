package dev.modelgate.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's {@code --static} examples run as written and print what the README says they print: every command
 * fence of one {@code ./modelgate check ... --static} line followed by a paragraph starting "prints" is run in-process,
 * and each quoted output line of that paragraph (a backticked span with a run of spaces, as the report's columns have) must be in its output,
 * with the exit code the paragraph gives. (The README once quoted a summary line that no longer matched.)
 */
class ReadmeStaticExamplesTest {
    static final Pattern QUOTED = Pattern.compile("`([^`]*\\S  +\\S[^`]*)`");
    static final Pattern EXIT = Pattern.compile("\\(exit (\\d)\\)");

    record Example(String command, List<String> quoted, int exit) {}

    static List<Example> examples(List<String> lines) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i + 3 < lines.size(); i++) {
            String cmd = lines.get(i + 1).replaceFirst("\\s+#.*$", "").strip();
            if (!lines.get(i).equals("```") || !lines.get(i + 2).equals("```") || !cmd.startsWith("./modelgate check ") || !cmd.contains(" --static")) continue;
            StringBuilder para = new StringBuilder();
            for (int j = i + 4; j < lines.size() && !lines.get(j).isBlank(); j++) para.append(lines.get(j)).append('\n');
            if (!lines.get(i + 3).isBlank() || !para.toString().startsWith("prints")) continue;
            List<String> quoted = new ArrayList<>();
            Matcher q = QUOTED.matcher(para);
            while (q.find()) quoted.add(q.group(1));
            Matcher e = EXIT.matcher(para);
            out.add(new Example(cmd, quoted, e.find() ? Integer.parseInt(e.group(1)) : 0));
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> everyStaticExampleOfTheReadmePrintsWhatItSays() throws Exception {
        List<Example> examples = examples(Files.readAllLines(Path.of("README.md")));
        assertTrue(examples.size() >= 2, "the README's real-model examples were found: " + examples);
        return examples.stream().map(x -> DynamicTest.dynamicTest(x.command(), () -> {
            String[] args = Arrays.stream(x.command().substring("./modelgate ".length()).split("\\s+")).toArray(String[]::new);
            Cli.Result r = Cli.run(args);
            assertEquals(x.exit(), r.code(), r.toString());
            assertFalse(x.quoted().isEmpty(), "the paragraph quotes the output");
            for (String line : x.quoted()) assertTrue(r.out().contains(line), "README says it prints `" + line + "`; it printed:\n" + r.out());
        })).toList();
    }
}
