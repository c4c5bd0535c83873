#!/usr/bin/env bash
# Regenerates the CRDs from the Java types, copies them into the Helm chart and rewrites the
# field reference in docs/ from them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q process-classes -pl crds -am
for generated in crds/target/classes/META-INF/fabric8/*.kiln.dev-v1.yml; do
  name="$(basename "$generated" -v1.yml)"
  cp "$generated" "helm/kiln/crds/$name.yaml"
  echo "updated helm/kiln/crds/$name.yaml"
done
./mvnw -B -q test -pl crds -am -Dtest=CrdReferenceDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Dkiln.update-docs=true
echo "updated docs/crd-reference.md"
