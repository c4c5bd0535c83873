package dev.kiln.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.crds.model.Model;
import dev.kiln.crds.model.ModelStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class GpuMemoryTest {

  @Test
  void theDeclaredMemoryCountsUntilALoadMeasuredMore() {
    Model model = model("2Gi");
    assertThat(GpuMemory.effectiveBytes(model)).isEqualTo(2L << 30);

    model.setStatus(new ModelStatus());
    model.getStatus().setMeasuredGpuMemory(new Quantity("1Gi"));
    assertThat(GpuMemory.effectiveBytes(model)).as("a smaller measurement never shrinks the declaration").isEqualTo(2L << 30);

    model.getStatus().setMeasuredGpuMemory(new Quantity("3Gi"));
    assertThat(GpuMemory.effectiveBytes(model)).isEqualTo(3L << 30);
  }

  @Test
  void aModelThatDeclaresNothingCountsWhatWasMeasured() {
    Model model = model(null);
    assertThat(GpuMemory.effectiveBytes(model)).isZero();

    model.setStatus(new ModelStatus());
    model.getStatus().setMeasuredGpuMemory(new Quantity("512Mi"));
    assertThat(GpuMemory.effectiveBytes(model)).isEqualTo(512L << 20);
  }

  @Test
  void quantitiesUseTheLargestBinaryUnitThatDividesThem() {
    assertThat(GpuMemory.quantity(4L << 30)).hasToString("4Gi");
    assertThat(GpuMemory.quantity((4L << 30) + (512L << 20))).hasToString("4608Mi");
    assertThat(GpuMemory.quantity(1000)).hasToString("1000");
    assertThat(Quantity.getAmountInBytes(GpuMemory.quantity(123_456_789)).longValueExact()).isEqualTo(123_456_789);
  }

  private static Model model(String declared) {
    Model model = new Model();
    model.getMetadata().setName("m");
    if (declared != null) {
      model.getSpec().setGpuMemory(new Quantity(declared));
    }
    return model;
  }
}
