package dev.modelgate.cli;

import dev.modelgate.render.RuleCatalog;
import dev.modelgate.rule.RuleMetadata;
import dev.modelgate.rule.RuleRegistry;

/** The rule registry as the renderers read it: the CLI is the layer that sees both. */
public final class RuleCatalogs {
    /** Every rule of this modelgate. */
    public static final RuleCatalog CURRENT = new RuleCatalog(RuleRegistry.all().stream()
            .map((RuleMetadata m) -> new RuleCatalog.Rule(m.id(), m.summary(), m.defaultSeverity())).toList());

    private RuleCatalogs() {}
}
