package dev.modelgate.cli;


import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * ND4J reads its thread count (OMP_NUM_THREADS) once, when its native library loads, and a JVM cannot change its own
 * environment. So when a run will load ND4J with a thread setting other than the one wanted (1 by default, or
 * {@code --threads N}), modelgate restarts itself in a child JVM with the right environment and passes its exit code on.
 * The launcher script sets OMP_NUM_THREADS=1 already, so this matters for {@code java -jar} and for {@code --threads}.
 * The same holds for ND4J's backend priorities (BACKEND_PRIORITY_CPU/GPU) in a build with the CUDA backend.
 */
final class Relauncher {
    static final String GUARD = "MODELGATE_RELAUNCHED";
    /** The system property that gives a restarted child its parent's process id. */
    static final String PARENT = "modelgate.relauncher.pid";
    /** ND4J's backend priorities when the variables are unset: CUDA first. */
    static final Map<String, String> ND4J_DEFAULTS = Map.of("BACKEND_PRIORITY_CPU", "0", "BACKEND_PRIORITY_GPU", "100");

    private Relauncher() {}

    /**
     * In the restarted child: ends this JVM when the parent that restarted it is gone (killed outright, SIGKILL, which
     * it cannot pass on): nobody waits for the result then, and the shutdown ends its workers and removes its files.
     * The parent's death shows as this process being given a new parent.
     */
    static void endWithParentIfRelaunched() {
        String property = System.getProperty(PARENT);
        if (property == null || !property.matches("\\d{1,19}")) return;
        long parent = Long.parseLong(property);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parent) System.exit(ExitCodes.INTERNAL);
            }
        }, "modelgate-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    static OptionalInt relaunchIfNeeded(String[] args) {
        String wanted = wantedThreads(args);
        if (wanted == null || System.getenv(GUARD) != null) return OptionalInt.empty();
        Map<String, String> backendEnv = wantedBackendEnvironment(args, System.getenv("MODELGATE_BACKEND"), dev.modelgate.check.BackendChoice.cudaOnClasspath());
        boolean backendAsWanted = backendEnv.entrySet().stream()
                .allMatch(e -> e.getValue().equals(System.getenv().getOrDefault(e.getKey(), ND4J_DEFAULTS.get(e.getKey()))));
        if (wanted.equals(System.getenv("OMP_NUM_THREADS")) && backendAsWanted) return OptionalInt.empty();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> !a.startsWith("-D" + PARENT + "=")).toList());
        cmd.add("-D" + PARENT + "=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("OMP_NUM_THREADS", wanted);
        pb.environment().putAll(backendEnv);
        pb.environment().put(GUARD, "1");
        try {
            return OptionalInt.of(pb.start().waitFor());
        } catch (IOException e) {
            System.err.println("modelgate: error: cannot restart with OMP_NUM_THREADS=" + wanted + (backendEnv.isEmpty() ? "" : " and " + backendEnv)
                    + ": " + e.getMessage());
            return OptionalInt.of(ExitCodes.INTERNAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(ExitCodes.INTERNAL);
        }
    }

    /**
     * ND4J's backend priorities an in-process run needs (when {@link #wantedThreads} is not null): in a build with the
     * CUDA backend, ND4J's defaults put CUDA first, so {@code cpu} needs a restart with the CPU first; the CPU-only
     * build has one backend and needs none. Empty where nothing is wanted or the request is malformed (validation
     * reports that).
     */
    static Map<String, String> wantedBackendEnvironment(String[] args, String environment, boolean cudaBuild) {
        if (!cudaBuild) return Map.of();
        String requested = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--backend") && i + 1 < args.length) requested = args[i + 1];
            else if (args[i].startsWith("--backend=")) requested = args[i].substring("--backend=".length());
        }
        if (requested == null) requested = environment == null || environment.isBlank() ? "auto" : environment.trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("cpu", "cuda", "auto").contains(requested)) return Map.of();
        return dev.modelgate.check.BackendChoice.environment(requested);
    }

    /**
     * The thread setting this run needs, or null when it runs nothing native (--static, rules, help) or the argument
     * is malformed (picocli will then report it).
     */
    static String wantedThreads(String[] args) {
        List<String> a = List.of(args);
        if (a.isEmpty() || a.contains("--static") || a.contains("--help") || a.contains("-h")) return null;
        if (!List.of("check", "inspect", "audit").contains(a.get(0))) return null;
        // check and audit run the models in a worker JVM started with the setting; only in-process runs need this JVM's.
        boolean inProcess = a.contains("none") && a.contains("--isolation") || a.contains("--isolation=none");
        if (!a.get(0).equals("inspect") && !inProcess) return null;
        for (int i = 0; i < args.length; i++) {
            String v = null;
            if (args[i].equals("--threads") && i + 1 < args.length) v = args[i + 1];
            else if (args[i].startsWith("--threads=")) v = args[i].substring("--threads=".length());
            if (v != null) return v.matches("[1-9][0-9]{0,3}") ? v : null;
        }
        return "1";
    }
}
