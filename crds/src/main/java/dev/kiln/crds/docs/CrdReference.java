package dev.kiln.crds.docs;

import dev.kiln.crds.KilnCrds;
import dev.kiln.crds.status.ConditionReason;
import dev.kiln.crds.status.ConditionType;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the field reference of Kiln's custom resources as Markdown, from the CRDs generated
 * at build time, so the reference cannot drift from the schema. hack/update-crds.sh writes it
 * to docs/crd-reference.md.
 */
public final class CrdReference {

  /** Kubernetes types embedded in our specs: documented by Kubernetes, not expanded here. */
  private static final Map<String, String> KUBERNETES_TYPES = Map.of(
      "spec.template.tolerations", "[]Toleration (Kubernetes)",
      "spec.template.affinity", "Affinity (Kubernetes)",
      "spec.template.resources", "ResourceRequirements (Kubernetes)",
      "status.conditions", "[]Condition (see Conditions below)");

  private CrdReference() {}

  public static String markdown() {
    var out = new StringBuilder("""
        # Custom resources reference

        Generated from the CRDs (`crds/`, group `kiln.dev`, version `v1alpha1`) by `hack/update-crds.sh`;
        a test fails when this file and the CRDs differ. All three kinds are namespaced: a pool's
        worker pods live in its namespace, and models and keys refer to pools and Secrets there.
        `kubectl get kiln` lists all of them.

        """);
    for (String name : KilnCrds.NAMES) {
      CustomResourceDefinition crd = Serialization.unmarshal(KilnCrds.yaml(name), CustomResourceDefinition.class);
      kind(out, crd);
    }
    conditions(out);
    return out.toString();
  }

  private static void kind(StringBuilder out, CustomResourceDefinition crd) {
    var names = crd.getSpec().getNames();
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().getFirst();
    out.append("## ").append(names.getKind()).append("\n\n")
        .append("`").append(crd.getMetadata().getName()).append('/').append(version.getName()).append("`, short name `")
        .append(String.join("`, `", names.getShortNames())).append("`. `kubectl get` columns: NAME, ")
        .append(version.getAdditionalPrinterColumns().stream().map(c -> c.getName().toUpperCase())
            .collect(Collectors.joining(", ")))
        .append(".\n\n");
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    for (String section : List.of("spec", "status")) {
      out.append("### ").append(section).append("\n\n| Field | Type | Default | Description |\n|---|---|---|---|\n");
      List<String> rules = new ArrayList<>();
      fields(out, rules, section, root.getProperties().get(section), false);
      out.append('\n');
      if (!rules.isEmpty()) {
        out.append("Rules checked by the API server:\n\n");
        rules.forEach(rule -> out.append("- ").append(rule).append('\n'));
        out.append('\n');
      }
    }
  }

  private static void fields(StringBuilder out, List<String> rules, String path, JSONSchemaProps schema,
      boolean required) {
    String external = KUBERNETES_TYPES.get(path);
    if (!path.equals("spec") && !path.equals("status")) {
      out.append("| `").append(path).append("` | ").append(external != null ? external : type(schema))
          .append(required ? ", required" : "").append(" | ")
          .append(schema.getDefault() == null ? "" : "`" + schema.getDefault() + "`").append(" | ")
          .append(cell(schema.getDescription())).append(" |\n");
    }
    for (ValidationRule rule : schema.getXKubernetesValidations() == null
        ? List.<ValidationRule>of() : schema.getXKubernetesValidations()) {
      rules.add("`" + path + "`: " + rule.getMessage());
    }
    if (external != null || schema.getProperties() == null) {
      return;
    }
    List<String> requiredFields = schema.getRequired() == null ? List.of() : schema.getRequired();
    schema.getProperties().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(field -> fields(out, rules, path + "." + field.getKey(), field.getValue(),
            requiredFields.contains(field.getKey())));
  }

  private static String type(JSONSchemaProps schema) {
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      return "quantity";
    }
    String type = schema.getType();
    if ("array".equals(type) && schema.getItems() != null && schema.getItems().getSchema() != null) {
      type = "[]" + schema.getItems().getSchema().getType();
    } else if ("object".equals(type) && schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      type = "map of " + schema.getAdditionalProperties().getSchema().getType();
    }
    var text = new StringBuilder(type);
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      text.append(", one of ").append(schema.getEnum().stream().map(value -> "`" + value.asText() + "`")
          .collect(Collectors.joining(" ")));
    }
    if (schema.getMinimum() != null || schema.getMaximum() != null) {
      text.append(", ").append(bound(schema.getMinimum())).append("–").append(bound(schema.getMaximum()));
    }
    if (schema.getPattern() != null) {
      text.append(", matching `").append(cell(schema.getPattern())).append('`');
    }
    return text.toString();
  }

  private static String bound(Double value) {
    return value == null ? "" : Long.toString(value.longValue());
  }

  private static void conditions(StringBuilder out) {
    out.append("## Conditions\n\n")
        .append("`status.conditions` has the standard Kubernetes shape: `type`, `status` (True, False, Unknown), ")
        .append("`reason`, `message`, `lastTransitionTime` (changes only when `status` flips) and ")
        .append("`observedGeneration`.\n\n| Type | On | Meaning |\n|---|---|---|\n");
    for (ConditionType type : ConditionType.values()) {
      out.append("| `").append(type.type()).append("` | ").append(String.join(", ", type.appliesTo())).append(" | ")
          .append(cell(type.meaning())).append(" |\n");
    }
    out.append("\n| Reason | Meaning |\n|---|---|\n");
    for (ConditionReason reason : ConditionReason.values()) {
      out.append("| `").append(reason.reason()).append("` | ").append(cell(reason.meaning())).append(" |\n");
    }
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
