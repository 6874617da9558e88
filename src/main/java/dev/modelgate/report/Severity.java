package dev.modelgate.report;

/** How much a rule's failure counts: {@code error} fails the check, {@code warning} is shown, {@code off} is not run. */
public enum Severity {
    ERROR, WARNING, OFF;

    public String id() { return name().toLowerCase(); }

    public static Severity parse(String s) {
        for (Severity v : values()) if (v.id().equals(s)) return v;
        throw new IllegalArgumentException("unknown severity '" + s + "'; valid: error, warning, off");
    }
}
