package dev.modelgate.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.cli.RuleCatalogs;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SARIF 2.1.0 report: goldens of a static check and an audit (the full runs are in {@link FullRunGoldenTest}),
 * each checked against the constraints of the OASIS schema (sarif-schema-2.1.0.json, errata01) that modelgate's
 * output touches: the required properties, the enumerations, and that no object carries a property the schema does
 * not define (the schema sets additionalProperties false on every object but property bags).
 */
class SarifRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static SarifRenderer renderer() {
        return new SarifRenderer(RuleCatalogs.CURRENT);
    }

    @Test
    void check() throws IOException {
        CheckReport r = GoldenFilesTest.report();
        String sarif = renderer().render(r);
        GoldenFilesTest.assertGolden("check.sarif", sarif);
        JsonNode run = validate(sarif).path("runs").get(0);

        JsonNode driver = run.path("tool").path("driver");
        assertEquals("<version>", driver.path("version").asText(), "modelgate's version from the report");
        List<String> ids = new ArrayList<>();
        driver.path("rules").forEach(d -> ids.add(d.path("id").asText()));
        assertEquals(r.results().stream().map(RuleResult::rule).distinct().toList(), ids, "one rule entry per rule id");
        JsonNode channel = driver.path("rules").get(ids.indexOf("channel-growth"));
        assertTrue(channel.path("shortDescription").path("text").asText().startsWith("conv output channels"), channel.toString());
        assertEquals("error", channel.path("defaultConfiguration").path("level").asText());

        JsonNode results = run.path("results");
        assertEquals(r.count(Status.FAIL) + r.count(Status.WARN), results.size(), "FAIL and WARN results only");
        JsonNode fail = results.get(0);
        assertEquals("channel-growth", fail.path("ruleId").asText());
        assertEquals("error", fail.path("level").asText());
        assertEquals(ids.indexOf("channel-growth"), fail.path("ruleIndex").asInt());
        JsonNode location = fail.path("locations").get(0).path("physicalLocation");
        assertEquals("src/test/resources/golden/cnn-modified.yaml", location.path("artifactLocation").path("uri").asText());
        assertEquals(7, location.path("region").path("startLine").asInt(), "conv2 is on line 7 of the spec");
        for (JsonNode x : results) if (x.path("ruleId").asText().equals("param-growth")) {
            assertEquals("warning", x.path("level").asText());
            assertTrue(x.path("locations").get(0).path("physicalLocation").path("region").isMissingNode(), "a model-wide result has no line");
        }
    }

    @Test
    void audit() throws IOException {
        AuditReport a = CiRenderersGoldenTest.audit();
        String sarif = renderer().renderAudit(a);
        GoldenFilesTest.assertGolden("audit.sarif", sarif);
        JsonNode root = validate(sarif);
        assertEquals(1, root.path("runs").size(), "one run for the whole audit");
        JsonNode invocation = root.path("runs").get(0).path("invocations").get(0);
        assertFalse(invocation.path("executionSuccessful").asBoolean(), "a config could not be checked");
        JsonNode note = invocation.path("toolExecutionNotifications").get(0);
        assertTrue(note.path("message").path("text").asText().contains(CiRenderersGoldenTest.BROKEN));
        assertEquals("broken.yaml", note.path("locations").get(0).path("physicalLocation").path("artifactLocation").path("uri").asText());
    }

    @Test
    void preExistingResultsAreUnchangedAndErrorsAreNotifications() throws IOException {
        CheckReport base = GoldenFilesTest.report();
        CheckReport r = new CheckReport(base.original(), base.modified(), base.diff(), List.of(
                new RuleResult("gradient-explosion", Status.FAIL, dev.modelgate.report.Severity.ERROR, 500.0, 100.0, "conv1", "conv1 explodes", true),
                new RuleResult("non-finite", Status.ERROR, dev.modelgate.report.Severity.ERROR, null, null, null, "could not measure")),
                null, base.environment(), base.phases());
        JsonNode run = validate(renderer().render(r)).path("runs").get(0);
        assertEquals("unchanged", run.path("results").get(0).path("baselineState").asText());
        assertEquals(5, run.path("results").get(0).path("locations").get(0).path("physicalLocation").path("region").path("startLine").asInt());
        assertEquals(1, run.path("results").size());
        JsonNode note = run.path("invocations").get(0).path("toolExecutionNotifications").get(0);
        assertEquals("non-finite", note.path("associatedRule").path("id").asText());
    }

    @Test
    void pathsBecomeUriReferences() {
        assertEquals("models/a%20b.yaml", SarifRenderer.uri("models/a b.yaml"));
        assertEquals("file:///tmp/x.yaml", SarifRenderer.uri("/tmp/x.yaml"));
        assertEquals("models/x.yaml", SarifRenderer.uri("models\\x.yaml"));
        assertEquals("./a:b.yaml", SarifRenderer.uri("a:b.yaml"), "not a scheme");
        assertEquals("file:///C:/m/x.yaml", SarifRenderer.uri("C:\\m\\x.yaml"));
    }

    // ---- the schema's constraints ----------------------------------------------------------------------------------

    /** Properties each object may have (from sarif-schema-2.1.0.json, only the objects modelgate writes) and the required ones. */
    private record Shape(Set<String> allowed, Set<String> required) {}

    private static final Map<String, Shape> SHAPES = Map.ofEntries(
            Map.entry("log", new Shape(Set.of("$schema", "version", "runs", "inlineExternalProperties", "properties"), Set.of("version", "runs"))),
            Map.entry("run", new Shape(Set.of("tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds",
                    "artifacts", "logicalLocations", "graphs", "results", "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
                    "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind", "externalPropertyFileReferences",
                    "threadFlowLocations", "taxonomies", "addresses", "translations", "policies", "webRequests", "webResponses",
                    "specialLocations", "properties"), Set.of("tool"))),
            Map.entry("tool", new Shape(Set.of("driver", "extensions", "properties"), Set.of("driver"))),
            Map.entry("driver", new Shape(Set.of("guid", "name", "organization", "product", "productSuite", "shortDescription", "fullDescription",
                    "fullName", "version", "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri", "informationUri",
                    "globalMessageStrings", "notifications", "rules", "taxa", "locations", "language", "contents", "isComprehensive",
                    "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
                    "translationMetadata", "supportedTaxonomies", "properties"), Set.of("name"))),
            Map.entry("rule", new Shape(Set.of("id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames", "shortDescription",
                    "fullDescription", "messageStrings", "defaultConfiguration", "helpUri", "help", "relationships", "properties"), Set.of("id"))),
            Map.entry("configuration", new Shape(Set.of("enabled", "level", "rank", "parameters", "properties"), Set.of())),
            Map.entry("message", new Shape(Set.of("text", "markdown", "id", "arguments", "properties"), Set.of("text"))),
            Map.entry("invocation", new Shape(Set.of("commandLine", "arguments", "responseFiles", "startTimeUtc", "endTimeUtc", "exitCode",
                    "ruleConfigurationOverrides", "notificationConfigurationOverrides", "toolExecutionNotifications",
                    "toolConfigurationNotifications", "exitCodeDescription", "exitSignalName", "exitSignalNumber", "processStartFailureMessage",
                    "executionSuccessful", "machine", "account", "processId", "executableLocation", "workingDirectory", "environmentVariables",
                    "stdin", "stdout", "stderr", "stdoutStderr", "properties"), Set.of("executionSuccessful"))),
            Map.entry("notification", new Shape(Set.of("locations", "message", "level", "threadId", "timeUtc", "exception", "descriptor",
                    "associatedRule", "properties"), Set.of("message"))),
            Map.entry("reference", new Shape(Set.of("id", "index", "guid", "toolComponent", "properties"), Set.of())),
            Map.entry("result", new Shape(Set.of("ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid",
                    "correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs",
                    "graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank", "attachments", "hostedViewerUri",
                    "workItemUris", "provenance", "fixes", "taxa", "webRequest", "webResponse", "properties"), Set.of("message"))),
            Map.entry("location", new Shape(Set.of("id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships", "properties"), Set.of())),
            Map.entry("physicalLocation", new Shape(Set.of("address", "artifactLocation", "region", "contextRegion", "properties"), Set.of())),
            Map.entry("artifactLocation", new Shape(Set.of("uri", "uriBaseId", "index", "description", "properties"), Set.of())),
            Map.entry("region", new Shape(Set.of("startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
                    "byteLength", "snippet", "message", "sourceLanguage", "properties"), Set.of())));

    private static final Set<String> LEVELS = Set.of("none", "note", "warning", "error");

    /** Parses the document and checks it against the schema's constraints; returns it. */
    static JsonNode validate(String sarif) throws IOException {
        JsonNode root = JSON.readTree(sarif);
        shape(root, "log");
        assertEquals("2.1.0", root.path("version").asText());
        assertTrue(root.path("$schema").asText().startsWith("https://"), "$schema");
        for (JsonNode run : root.path("runs")) {
            shape(run, "run");
            shape(run.path("tool"), "tool");
            JsonNode driver = run.path("tool").path("driver");
            shape(driver, "driver");
            assertEquals("modelgate", driver.path("name").asText());
            int rules = driver.path("rules").size();
            for (JsonNode d : driver.path("rules")) {
                shape(d, "rule");
                if (d.has("shortDescription")) shape(d.path("shortDescription"), "message");
                if (d.has("defaultConfiguration")) {
                    shape(d.path("defaultConfiguration"), "configuration");
                    assertTrue(LEVELS.contains(d.path("defaultConfiguration").path("level").asText()));
                }
            }
            for (JsonNode inv : run.path("invocations")) {
                shape(inv, "invocation");
                assertTrue(inv.path("executionSuccessful").isBoolean());
                for (JsonNode n : inv.path("toolExecutionNotifications")) {
                    shape(n, "notification");
                    shape(n.path("message"), "message");
                    assertTrue(LEVELS.contains(n.path("level").asText()));
                    if (n.has("associatedRule")) {
                        shape(n.path("associatedRule"), "reference");
                        assertTrue(n.path("associatedRule").path("index").asInt() < rules);
                    }
                    locations(n.path("locations"));
                }
            }
            for (JsonNode x : run.path("results")) {
                shape(x, "result");
                shape(x.path("message"), "message");
                assertFalse(x.path("message").path("text").asText().isEmpty());
                assertTrue(LEVELS.contains(x.path("level").asText()), "level");
                assertTrue(Set.of("new", "unchanged", "updated", "absent").contains(x.path("baselineState").asText()));
                assertTrue(x.path("ruleIndex").asInt() < rules);
                assertEquals(driver.path("rules").get(x.path("ruleIndex").asInt()).path("id").asText(), x.path("ruleId").asText());
                assertTrue(x.path("properties").isObject());
                locations(x.path("locations"));
            }
        }
        return root;
    }

    private static void locations(JsonNode locations) {
        assertTrue(locations.isArray());
        for (JsonNode l : locations) {
            shape(l, "location");
            JsonNode p = l.path("physicalLocation");
            shape(p, "physicalLocation");
            shape(p.path("artifactLocation"), "artifactLocation");
            String uri = p.path("artifactLocation").path("uri").asText();
            try {
                new java.net.URI(uri); // format: uri-reference
            } catch (java.net.URISyntaxException e) {
                fail("not a URI reference: " + uri);
            }
            if (p.has("region")) {
                shape(p.path("region"), "region");
                assertTrue(p.path("region").path("startLine").asInt() >= 1, "startLine minimum 1");
            }
        }
    }

    private static void shape(JsonNode o, String type) {
        assertTrue(o.isObject(), type + " is an object: " + o);
        Shape s = SHAPES.get(type);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            assertTrue(s.allowed().contains(k), type + " has no property '" + k + "' in SARIF 2.1.0");
        }
        for (String k : s.required()) assertTrue(o.has(k), type + " requires '" + k + "'");
    }
}
