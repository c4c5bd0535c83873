package dev.kiln.cli;

import java.nio.file.Path;
import java.time.Duration;

/** What {@code kiln dev} prints once Kiln serves: where everything is, and requests to copy and paste. */
record DevBanner(DevFleet fleet, String key, Path samplePicture, DevPaths paths, Duration startedIn) {

  String text() {
    String ca = fleet.certificates().certificateAuthority().toString();
    String endpoint = DevFleet.NAMESPACE + "/" + DevModel.MODEL;
    String runHost = fleet.runUrl().substring("https://".length());
    String queueHost = fleet.queueUrl().substring("https://".length());
    return """

        Kiln is serving %s (started in %d s).

          gateway   %s (run)   %s (queue)
          API key   %s
          CA        %s
          manifest  %s
          logs      %s
          workers   %s/<namespace>_<pod>_<uid>/runtime.log
          kubectl   export KUBECONFIG=%s
                    %s -n %s get models,gpupools,pods

        Remove the background of a picture:
          curl --cacert %s -H "Authorization: Key %s" \\
               -H "Content-Type: image/png" --data-binary @%s -o cutout.png %s/%s

        With fal's Python client (pip install fal-client):
          SSL_CERT_FILE=%s FAL_KEY=%s \\
          FAL_RUN_HOST=%s FAL_QUEUE_RUN_HOST=%s python3 -c '
          import fal_client
          print(fal_client.subscribe("%s", {"image_url": fal_client.encode_file("%s")}, with_logs=True)["image"]["width"])'
        """.formatted(endpoint, startedIn.toSeconds(), fleet.runUrl(), fleet.queueUrl(), key, ca,
        paths.run().resolve("kiln-dev.yaml"), paths.log(), fleet.workerLogs(), fleet.kubeconfig(), fleet.kubectl(), DevFleet.NAMESPACE,
        ca, key, samplePicture, fleet.runUrl(), endpoint, ca, key, runHost, queueHost, endpoint, samplePicture);
  }
}
