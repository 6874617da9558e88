package dev.modelgate.check;

import dev.modelgate.model.NetworkFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the worker JVM writes outside its answers goes to the temporary directory, never the working directory. */
class WorkerJvmOptionsTest {

    @Test
    void dl4jCrashDumpsOfTheWorkerGoWhereThisJvmSendsThemAndAUserOptionWins() {
        List<String> options = WorkerRunner.jvmOptions(List.of("-Dorg.deeplearning4j.crash.reporting.enabled=true"));
        String here = System.getProperty(NetworkFactory.CRASH_DUMP_DIRECTORY, NetworkFactory.defaultCrashDumpDirectory().toString());
        assertTrue(options.contains("-D" + NetworkFactory.CRASH_DUMP_DIRECTORY + "=" + here), options.toString());
        assertTrue(!here.equals(System.getProperty("user.dir")), here);
        // the user's options come last, so a JVM takes theirs where they set the same property
        assertEquals("-Dorg.deeplearning4j.crash.reporting.enabled=true", options.get(options.size() - 1));
    }

    @Test
    void theWorkerMapsTheClassArchiveThisJvmWasStartedWithAndSaysNothingAboutIt() {
        assertEquals(List.of("-XX:SharedArchiveFile=/m/target/modelgate.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
                WorkerRunner.sharedClassArchive(List.of("-Xmx1g", "-XX:SharedArchiveFile=/m/target/modelgate.jsa", "-Xlog:cds=off")));
        assertEquals(List.of(), WorkerRunner.sharedClassArchive(List.of("-Xmx1g")), "none: the worker starts as before");
    }
}
