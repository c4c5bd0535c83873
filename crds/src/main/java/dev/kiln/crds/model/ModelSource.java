package dev.kiln.crds.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.kiln.crds.common.SecretReference;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the model files come from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ModelSource {

  @Required
  @ValidationRule(value = "self.matches('^(https|hf|s3|file|pvc)://.+')", message = "source.uri must start with https://, hf://, s3://, file:// or pvc:// (plain http:// is not accepted: use https://)")
  @JsonPropertyDescription("https://, hf://ORG/REPO[/PATH], s3://BUCKET/KEY, file:///PATH or pvc://CLAIM/PATH; a folder holds a multi-file model.")
  private String uri;

  @Pattern("^[a-f0-9]{64}$")
  @JsonPropertyDescription("Expected SHA-256 of the file (lowercase hex); the download is rejected when it differs.")
  private String sha256;

  @JsonPropertyDescription("Secret in the Model's namespace whose key `token` holds a bearer token for the source, sent "
      + "as `Authorization: Bearer` when https:// or hf:// files are downloaded (surrounding whitespace is trimmed). "
      + "While the Secret or its `token` key is missing no load is tried: the Model reports SecretNotFound or "
      + "KeyNotInSecret and retries with back-off.")
  private SecretReference credentialsSecret;

  public String getUri() {
    return uri;
  }

  public void setUri(String uri) {
    this.uri = uri;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public SecretReference getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(SecretReference credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }
}
