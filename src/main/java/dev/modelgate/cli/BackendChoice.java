package dev.modelgate.cli;

/**
 * Which ND4J backend a run asks for: {@code --backend}, else the MODELGATE_BACKEND environment variable, else auto.
 * ND4J picks its backend only from environment variables read when it loads, so the choice is made here, before any
 * JVM that loads ND4J starts (the worker is started with it).
 */
final class BackendChoice {
    static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    private BackendChoice() {}

    /** The backend name to use ("cpu"), or a usage error that says why the request cannot be met. */
    static String resolve(String option, String environment, boolean cudaOnClasspath) {
        String requested = option != null ? option : environment != null && !environment.isBlank() ? environment.trim().toLowerCase() : "auto";
        String from = option != null ? "--backend" : environment != null && !environment.isBlank() ? "MODELGATE_BACKEND" : "default";
        switch (requested) {
            case "cpu":
                return "cpu";
            case "auto":
                return "cpu"; // a CUDA build would try CUDA first here; this one has only the CPU backend
            case "cuda":
                if (!cudaOnClasspath) {
                    throw new UsageException(from + " cuda: this build of modelgate has no CUDA backend (nd4j-cuda-11.6 is not on its "
                            + "classpath; build with 'mvn -Pcuda package' on a machine with CUDA 11.6, see docs/gpu.md); use --backend cpu or auto");
                }
                throw new UsageException(from + " cuda: running on CUDA is not supported by this version yet (docs/gpu.md); use --backend cpu or auto");
            default:
                throw new UsageException(from + " must be cpu, cuda or auto, got '" + requested + "'");
        }
    }

    static boolean cudaOnClasspath() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, BackendChoice.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
