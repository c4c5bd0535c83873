package dev.kiln.crds.gpupool;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The node-local directory where workers keep downloaded model files. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ModelCache {

  @Default("/var/cache/kiln/models")
  @ValidationRule(value = "self.startsWith('/')", message = "modelCache.hostPath must be an absolute path, e.g. /var/cache/kiln/models")
  @JsonPropertyDescription("Directory on the node shared by the workers there.")
  private String hostPath;

  @Default("200Gi")
  @ValidationRule(value = "type(self) == int ? self >= 0 : isQuantity(self) && !quantity(self).isLessThan(quantity('0'))", message = "modelCache.size must be a quantity such as 200Gi")
  @JsonPropertyDescription("Most disk the cache may use; least recently used files no worker holds are evicted beyond it.")
  private Quantity size;

  public String getHostPath() {
    return hostPath;
  }

  public void setHostPath(String hostPath) {
    this.hostPath = hostPath;
  }

  public Quantity getSize() {
    return size;
  }

  public void setSize(Quantity size) {
    this.size = size;
  }
}
