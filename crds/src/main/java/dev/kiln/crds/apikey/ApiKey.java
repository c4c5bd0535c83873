package dev.kiln.crds.apikey;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A key callers present to the gateway, with its rate limit and spend cap. */
@Group("kiln.dev")
@Version("v1alpha1")
@ShortNames("akey")
@Categories("kiln")
@AdditionalPrinterColumn(name = "Rate", jsonPath = ".spec.rateLimit.requestsPerSecond", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Cap", jsonPath = ".spec.spendCap.amount", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Spend", jsonPath = ".status.spend", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ApiKey extends CustomResource<ApiKeySpec, ApiKeyStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @Override
  protected ApiKeySpec initSpec() {
    return new ApiKeySpec();
  }

  @Override
  protected ApiKeyStatus initStatus() {
    return new ApiKeyStatus();
  }
}
