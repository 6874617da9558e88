package dev.modelgate.probe;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.Nd4jBackend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Which ND4J backend actually loaded in this JVM, on what device, with which native libraries. ND4J chooses its
 * backend once, from the BACKEND_PRIORITY_* environment variables, and nd4j-cuda falls back to the CPU silently when
 * CUDA cannot load (it prints a stack trace of its own and logs "Skipped [JCublasBackend] backend (unavailable)"): so
 * what ran is read here, after loading, never assumed.
 */
public final class BackendProbe {
    static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
    static final String CPU_BACKEND_CLASS = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";

    /**
     * @param backend     {@code cpu}, {@code cuda}, or the backend class's simple name for anything else
     * @param device      the CPU's model name and core count, or the GPU's name
     * @param threads     this JVM's thread setting: OMP_NUM_THREADS as set, else the count ND4J chose by itself
     * @param ompThreads  ND4J's OpenMP thread count, or null where it does not say
     * @param libraries   name to version: deeplearning4j, the backend artifact, its BLAS, javacpp, native helpers
     * @param cudaSkipped why ND4J skipped the CUDA backend (its own words), or null when it did not try or did not skip it
     */
    public record Loaded(String backend, String device, String threads, Integer ompThreads, Map<String, String> libraries, String cudaSkipped) {
        public Loaded {
            libraries = libraries == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(libraries));
        }
    }

    private static Loaded loaded;

    private BackendProbe() {}

    /**
     * Loads ND4J in this JVM if it has not loaded yet and says what it loaded. While it loads, what ND4J prints on
     * System.err is held back: when it skipped the CUDA backend that is nd4j-cuda's stack trace, replaced by the one
     * line in {@link Loaded#cudaSkipped()}; otherwise it is passed on unchanged.
     */
    public static synchronized Loaded load() {
        if (loaded != null) return loaded;
        PrintStream err = System.err;
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        Nd4jBackend backend;
        System.setErr(new PrintStream(held, true, StandardCharsets.UTF_8));
        try {
            backend = Nd4j.getBackend();
        } catch (RuntimeException | LinkageError e) {
            System.setErr(err);
            err.print(held.toString(StandardCharsets.UTF_8));
            throw e;
        } finally {
            System.setErr(err);
        }
        String printed = held.toString(StandardCharsets.UTF_8);
        String skipped = skippedReason(printed, "JCublasBackend");
        if (skipped == null) err.print(printed);

        String name = backendName(backend.getClass().getName());
        java.util.Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String device;
        if (name.equals("cuda")) {
            int index = 0;
            try {
                Integer d = Nd4j.getAffinityManager().getDeviceForCurrentThread();
                if (d != null) index = d;
            } catch (RuntimeException e) {
                // the first device, then
            }
            device = gpuDevice(env.get("cuda.devicesInformation"), index);
        } else {
            device = cpuDevice();
        }
        Integer omp = env.get("omp.threads") instanceof Number n ? n.intValue() : null;

        Map<String, String> libs = new LinkedHashMap<>();
        putVersion(libs, "deeplearning4j", "org.deeplearning4j", "deeplearning4j-nn");
        Map.Entry<String, String> artifact = artifactOf(backend.getClass());
        if (artifact != null) libs.put(artifact.getKey(), artifact.getValue());
        Object vendor = env.get("blas.vendor");
        if (vendor != null) libs.put("blas", vendor.toString());
        if (name.equals("cuda")) putVersion(libs, "cuda", "org.bytedeco", "cuda");   // CUDA-cuDNN-javacpp, e.g. 11.6-8.3-1.5.7
        else putVersion(libs, "openblas", "org.bytedeco", "openblas");
        putVersion(libs, "javacpp", "org.bytedeco", "javacpp");
        String helpers;
        try {
            helpers = helpers(backend.buildInfo());
        } catch (RuntimeException | LinkageError e) {
            helpers = "";
        }
        if (!helpers.isEmpty()) libs.put("helpers", helpers);
        loaded = new Loaded(name, device, threads(System.getenv("OMP_NUM_THREADS"), omp), omp, libs, skipped);
        return loaded;
    }

    /**
     * Whether {@link #load} has run in this JVM. Asking loads nothing (not even javacpp's own native library: a JVM
     * whose checks all ran in workers stays free of native code).
     */
    public static synchronized boolean loadedHere() {
        return loaded != null;
    }

    /** What a run that loads nothing native can say about its libraries. */
    public static Map<String, String> staticLibraries() {
        Map<String, String> libs = new LinkedHashMap<>();
        putVersion(libs, "deeplearning4j", "org.deeplearning4j", "deeplearning4j-nn");
        return libs;
    }

    /** This machine's CPU, as "model name (N cores)", from /proc/cpuinfo where there is one. */
    public static String cpuDevice() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            lines = List.of();
        }
        return cpuDevice(cpuModel(lines), Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"));
    }

    // ---- pure parts -------------------------------------------------------------------------------------------------

    /** "1" as OMP_NUM_THREADS says; where it is unset, ND4J's own count, marked as its default. */
    static String threads(String ompNumThreads, Integer ndThreads) {
        if (ompNumThreads != null && !ompNumThreads.isBlank()) return ompNumThreads.trim();
        return ndThreads == null ? "default (OMP_NUM_THREADS unset)" : ndThreads + " (OMP_NUM_THREADS unset: ND4J's default)";
    }

    /** "cpu" for ND4J's CPU backend, "cuda" for its CUDA backend, else the class's simple name in lower case. */
    static String backendName(String backendClass) {
        if (backendClass.equals(CPU_BACKEND_CLASS)) return "cpu";
        if (backendClass.equals(CUDA_BACKEND_CLASS)) return "cuda";
        String simple = backendClass.substring(backendClass.lastIndexOf('.') + 1);
        return simple.toLowerCase(Locale.ROOT);
    }

    /** The CPU's model from /proc/cpuinfo lines ("model name" on x86; "Processor" or "cpu model" elsewhere), or null. */
    static String cpuModel(List<String> cpuinfo) {
        for (String key : List.of("model name", "Processor", "cpu model", "Hardware")) {
            for (String line : cpuinfo) {
                int colon = line.indexOf(':');
                if (colon < 0 || !line.substring(0, colon).trim().equals(key)) continue;
                String value = line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                if (!value.isEmpty()) return value;
            }
        }
        return null;
    }

    static String cpuDevice(String model, int cores, String arch) {
        String count = cores + (cores == 1 ? " core" : " cores");
        return model == null ? "CPU (" + arch + ", " + count + ")" : model + " (" + count + ")";
    }

    /**
     * The GPU in use from ND4J's environment information: a list of one map per device with the keys
     * {@code cuda.deviceName}, {@code cuda.deviceMajor}, {@code cuda.deviceMinor} and {@code cuda.totalMemory}.
     */
    static String gpuDevice(Object devicesInformation, int index) {
        if (!(devicesInformation instanceof List<?> devices) || devices.isEmpty()) return "CUDA device (ND4J gave no device information)";
        int i = index >= 0 && index < devices.size() ? index : 0;
        if (!(devices.get(i) instanceof Map<?, ?> d)) return "CUDA device " + i;
        StringBuilder sb = new StringBuilder(String.valueOf(d.get("cuda.deviceName") == null ? "CUDA device " + i : d.get("cuda.deviceName")));
        List<String> detail = new ArrayList<>();
        if (d.get("cuda.deviceMajor") != null && d.get("cuda.deviceMinor") != null) {
            detail.add("compute " + d.get("cuda.deviceMajor") + "." + d.get("cuda.deviceMinor"));
        }
        if (d.get("cuda.totalMemory") instanceof Number mem) {
            detail.add(String.format(Locale.ROOT, "%.1f GiB", mem.doubleValue() / (1L << 30)));
        }
        if (devices.size() > 1) detail.add("device " + i + " of " + devices.size());
        if (!detail.isEmpty()) sb.append(" (").append(String.join(", ", detail)).append(')');
        return sb.toString();
    }

    /**
     * Why ND4J skipped a backend, from what it printed while loading: its own log line
     * {@code Skipped [JCublasBackend] backend (unavailable): REASON}, else the first line of the stack trace it printed.
     * Null when it skipped nothing.
     */
    static String skippedReason(String printed, String backendSimpleName) {
        if (printed == null || printed.isBlank()) return null;
        String marker = "Skipped [" + backendSimpleName + "] backend (unavailable):";
        String[] lines = printed.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            int at = lines[i].indexOf(marker);
            if (at < 0) continue;
            String rest = lines[i].substring(at + marker.length()).trim();
            // SLF4J leaves "{}" when the exception filled the last placeholder; logback then prints it on the next line.
            if (!rest.isEmpty() && !rest.equals("{}")) return rest;
            for (int j = i + 1; j < lines.length; j++) if (!lines[j].isBlank()) return lines[j].trim();
            return "no reason given";
        }
        for (String line : lines) {
            String l = line.trim();
            if (l.matches("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Error|Exception)(?::.*)?")
                    && (l.toLowerCase(Locale.ROOT).contains("cuda") || l.contains("UnsatisfiedLinkError"))) {
                return l;
            }
        }
        return null;
    }

    /** The optional native helpers a backend was built with (cudnn, onednn, armcompute), from its build information. */
    static String helpers(String buildInfo) {
        if (buildInfo == null) return "";
        List<String> out = new ArrayList<>();
        for (String line : buildInfo.split("\\R")) {
            String l = line.trim();
            if (!l.startsWith("HAVE_")) continue;
            String h = l.substring("HAVE_".length()).toLowerCase(Locale.ROOT);
            if (!List.of("flatbuffers", "openblas", "external_blas").contains(h)) out.add(h);
        }
        return String.join(", ", out);
    }

    // ---- versions from the jars' Maven metadata -----------------------------------------------------------------

    private static void putVersion(Map<String, String> libs, String name, String group, String artifact) {
        String v = version(group, artifact);
        if (v != null) libs.put(name, v);
    }

    static String version(String group, String artifact) {
        try (InputStream in = BackendProbe.class.getClassLoader().getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            if (in == null) return null;
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    /** The Maven artifact id and version of the jar a class came from (nd4j-native, nd4j-cuda-11.6), or null. */
    private static Map.Entry<String, String> artifactOf(Class<?> c) {
        try {
            URL where = c.getProtectionDomain().getCodeSource().getLocation();
            Path jar = Path.of(where.toURI());
            if (!Files.isRegularFile(jar)) return null;
            try (JarFile f = new JarFile(jar.toFile())) {
                for (JarEntry e : Collections.list(f.entries())) {
                    if (!e.getName().startsWith("META-INF/maven/") || !e.getName().endsWith("/pom.properties")) continue;
                    Properties p = new Properties();
                    try (InputStream in = f.getInputStream(e)) {
                        p.load(in);
                    }
                    if (p.getProperty("artifactId") != null && p.getProperty("version") != null) {
                        return Map.entry(p.getProperty("artifactId"), p.getProperty("version"));
                    }
                }
            }
        } catch (Exception e) {
            // not from a jar (an IDE's classes folder): the artifact stays unnamed
        }
        return null;
    }
}
