package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import java.util.Locale;

/**
 * Which ND4J backend a run asks for: {@code --backend}, else the MODELGATE_BACKEND environment variable, else auto.
 * ND4J picks its backend only from environment variables read when it loads, so the choice is made here, before any
 * JVM that loads ND4J starts (the worker is started with it), and what actually loaded is checked afterwards
 * ({@link #verify}): nd4j-cuda falls back to the CPU silently when CUDA cannot load.
 */
public final class BackendChoice {
    static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    /**
     * @param requested cpu, cuda or auto, as asked
     * @param from      where the request came from, for messages: {@code --backend}, {@code MODELGATE_BACKEND} or {@code default}
     * @param cudaBuild whether this build has ND4J's CUDA backend on its classpath (built with -Pcuda)
     */
    public record Choice(String requested, String from, boolean cudaBuild) {
        /** The backend the measuring JVM tries first: CUDA for auto and cuda in a CUDA build, else the CPU. */
        public String preferred() {
            return cudaBuild && !requested.equals("cpu") ? "cuda" : "cpu";
        }

        /** What the worker is told (WorkerRunner.Settings#backend): cpu, auto (CUDA first, CPU fallback) or cuda (CUDA or nothing). */
        public String worker() {
            return cudaBuild ? requested : "cpu";
        }

        /**
         * Whether what loaded must be read back before measuring: only a build with two backends can load one that was
         * not asked for (in the CPU-only build, cuda is refused before anything starts).
         */
        public boolean needsVerification() {
            return cudaBuild;
        }
    }

    private BackendChoice() {}

    /** The request, or a usage error that says why it cannot be met (an unknown name; cuda in a build without CUDA). */
    public static Choice choose(String option, String environment, boolean cudaOnClasspath) {
        boolean fromEnv = option == null && environment != null && !environment.isBlank();
        String requested = option != null ? option : fromEnv ? environment.trim().toLowerCase(Locale.ROOT) : "auto";
        String from = option != null ? "--backend" : fromEnv ? "MODELGATE_BACKEND" : "default";
        switch (requested) {
            case "cpu":
            case "auto":
                return new Choice(requested, from, cudaOnClasspath);
            case "cuda":
                if (!cudaOnClasspath) {
                    throw BadInputException.usage(from + " cuda: this build of modelgate has no CUDA backend (nd4j-cuda-11.6 is not on its "
                            + "classpath; build with 'mvn -Pcuda package' on a machine with CUDA 11.6, see docs/gpu.md); use --backend cpu or auto");
                }
                return new Choice(requested, from, true);
            default:
                throw BadInputException.usage(from + " must be cpu, cuda or auto, got '" + requested + "'");
        }
    }

    /** The backend to try first ("cpu" or "cuda"), or a usage error that says why the request cannot be met. */
    public static String resolve(String option, String environment, boolean cudaOnClasspath) {
        return choose(option, environment, cudaOnClasspath).preferred();
    }

    /**
     * Checks what the measuring JVM loaded against what was asked, before anything is measured.
     *
     * @param loaded      the backend ND4J loaded there (cpu, cuda)
     * @param cudaSkipped ND4J's reason for skipping the CUDA backend, or null
     * @return a note to print on stderr (auto fell back to the CPU in a CUDA build), or null
     * @throws BadInputException (exit 2, one line) when cuda was required and anything else loaded, or cpu and anything else loaded
     */
    public static String verify(Choice c, String loaded, String cudaSkipped) {
        switch (c.requested()) {
            case "cuda":
                if ("cuda".equals(loaded)) return null;
                throw BadInputException.usage(c.from() + " cuda: the CUDA backend did not load (" + why(cudaSkipped) + "); ND4J fell back to "
                        + loaded + " and nothing was measured; use --backend cpu or auto");
            case "cpu":
                if ("cpu".equals(loaded)) return null;
                throw BadInputException.usage(c.from() + " cpu: ND4J loaded its " + loaded + " backend instead of the CPU one (are "
                        + "BACKEND_PRIORITY_CPU/BACKEND_PRIORITY_GPU set?); nothing was measured");
            default: // auto
                if (!c.cudaBuild() || "cuda".equals(loaded)) return null;
                return "modelgate: note: backend auto: the CUDA backend did not load (" + why(cudaSkipped) + "); measuring on the "
                        + loaded + " instead (the report says so)";
        }
    }

    /**
     * Why CUDA did not load, in a few words, from ND4J's own reason ("Skipped [JCublasBackend] backend (unavailable): ..."):
     * no device, no NVIDIA driver or one too old, the CUDA libraries missing, or ND4J's words shortened.
     */
    public static String why(String skipped) {
        if (skipped == null || skipped.isBlank()) return "no CUDA device or CUDA library could be used; ND4J gave no reason";
        String s = skipped.toLowerCase(Locale.ROOT);
        if (s.contains("no cuda devices") || s.contains("no cuda-capable device") || s.contains("cudaerrornodevice")) {
            return "no CUDA device found";
        }
        if (s.contains("driver") && (s.contains("insufficient") || s.contains("older") || s.contains("too old"))) {
            return "the NVIDIA driver is too old for CUDA 11.6";
        }
        java.util.regex.Matcher so = java.util.regex.Pattern.compile("(lib[\\w.+-]*?\\.so[\\w.]*): cannot open shared object file").matcher(skipped);
        if (so.find()) {
            // libcuda.so comes with the NVIDIA driver; libcudart, libcublas, libcudnn... with CUDA itself.
            return so.group(1).startsWith("libcuda.so") ? "no NVIDIA driver: " + so.group(1) + " not found"
                    : "CUDA 11.6 libraries missing: " + so.group(1) + " not found";
        }
        java.util.regex.Matcher jni = java.util.regex.Pattern.compile("no (jni\\w+) in java\\.library\\.path").matcher(skipped);
        if (jni.find()) return "CUDA 11.6 libraries missing: " + jni.group(1) + " not found in java.library.path";
        if (s.contains("unsatisfiedlinkerror") || s.contains("cannot open shared object") || s.contains("no jni")
                || s.contains("could not initialize class org.bytedeco.cuda") || s.contains("libcudart") || s.contains("libcublas")) {
            int at = skipped.lastIndexOf("UnsatisfiedLinkError: ");
            String detail = at >= 0 ? skipped.substring(at + "UnsatisfiedLinkError: ".length()) : skipped;
            return "CUDA 11.6 libraries missing: " + shorten(detail);
        }
        return "ND4J: " + shorten(skipped);
    }

    private static String shorten(String s) {
        String line = s.lines().findFirst().orElse("").trim();
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }

    public static boolean cudaOnClasspath() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, BackendChoice.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The environment variables that make ND4J try a backend first. It reads them once, when it loads, and nothing
     * else (no system property) chooses: cpu puts the CPU backend first; auto and cuda put CUDA first, and ND4J falls
     * back to the CPU by itself when CUDA cannot load.
     */
    public static java.util.Map<String, String> environment(String backend) {
        return backend.equals("cpu") ? java.util.Map.of("BACKEND_PRIORITY_CPU", "100", "BACKEND_PRIORITY_GPU", "0")
                : java.util.Map.of("BACKEND_PRIORITY_CPU", "0", "BACKEND_PRIORITY_GPU", "100");
    }
}
