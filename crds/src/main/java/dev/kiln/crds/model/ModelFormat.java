package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** File format of a model. */
public enum ModelFormat {
  @JsonProperty("onnx")
  ONNX
}
