package dev.modelgate.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.error.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deep nesting is refused while parsing, long before the reader's recursion needs much stack. Found by
 * LoadersFuzzTest#specYaml: at Jackson's default limit (1,000 levels) the corpus file deep-nesting-list.yaml overflowed
 * the stack under Jazzer's instrumentation (a StackOverflowError; in a plain JVM at -Xss512k, exit 1), a margin of
 * less than 2 at the JVM's default 1 MiB stack.
 */
class NestingDepthTest {
    /** A quarter of the JVM's default thread stack. */
    static final long SMALL_STACK = 256 << 10;

    @Test
    void nestingJustUnderJacksonsDefaultLimitIsRefusedWithoutOverflowingASmallStack() throws InterruptedException {
        int depth = 999;
        String json = "[".repeat(depth) + "]".repeat(depth);
        String yaml = "input: " + json + "\n";
        // The classes are loaded here, on a thread with a full stack, so the small one only reads.
        LocatedTree.read(Path.of("warm.json"), "[[1]]", new JsonFactory());
        LocatedTree.read(Path.of("warm.yaml"), "a: [[1]]\n", new YAMLFactory());
        for (var c : new Object[][] {{"deep.json", json, new JsonFactory()}, {"deep.yaml", yaml, new YAMLFactory()}}) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(null, () -> {
                try {
                    LocatedTree.read(Path.of((String) c[0]), (String) c[1], (JsonFactory) c[2]);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            }, "small-stack", SMALL_STACK);
            t.start();
            t.join();
            BadInputException e = assertInstanceOf(BadInputException.class, thrown.get(), c[0] + ": " + thrown.get());
            assertTrue(e.getMessage().contains("nesting depth") && e.getMessage().contains("100"), e.getMessage());
        }
    }

    @Test
    void realConfigsNestFarLess() {
        // The deepest config of the samples and test resources nests 9 levels (a full-run audit report); ResNet's 8.
        String nine = "[".repeat(9) + "]".repeat(9);
        LocatedTree.read(Path.of("nine.json"), nine, new JsonFactory());
        String hundred = "[".repeat(100) + "]".repeat(100);
        LocatedTree.read(Path.of("hundred.json"), hundred, new JsonFactory());
    }
}
