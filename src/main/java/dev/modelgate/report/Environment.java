package dev.modelgate.report;

/** Where the measurement ran: a timing ratio means something only on one device with one thread setting. */
public record Environment(String backend, String threads, String java, String os, String modelgate) {}
