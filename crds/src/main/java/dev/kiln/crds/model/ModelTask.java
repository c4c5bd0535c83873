package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a model does; it fixes the request and response shapes. */
public enum ModelTask {
  @JsonProperty("tensor")
  TENSOR,
  @JsonProperty("image-to-image")
  IMAGE_TO_IMAGE,
  @JsonProperty("background-removal")
  BACKGROUND_REMOVAL,
  @JsonProperty("upscale")
  UPSCALE,
  @JsonProperty("embeddings")
  EMBEDDINGS,
  @JsonProperty("text-to-image")
  TEXT_TO_IMAGE,
  @JsonProperty("synthetic")
  SYNTHETIC
}
