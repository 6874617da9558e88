package dev.modelgate.render;

import java.util.List;
import java.util.Optional;

/**
 * What each rule is, for formats that describe the rules they report (SARIF's {@code tool.driver.rules}). Handed to
 * the renderers by the CLI from the rule registry: a report holds results, not the rules' descriptions, and
 * renderers do not see the rules themselves.
 *
 * @param rules every rule known to this modelgate, in registry order
 */
public record RuleCatalog(List<Rule> rules) {
    /** No descriptions: formats then name the rules by id alone. */
    public static final RuleCatalog NONE = new RuleCatalog(List.of());

    public RuleCatalog {
        rules = List.copyOf(rules);
    }

    /**
     * One rule.
     *
     * @param summary         its one-line summary
     * @param defaultSeverity the severity a config does not change
     */
    public record Rule(String id, String summary, dev.modelgate.report.Severity defaultSeverity) {}

    public Optional<Rule> find(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
