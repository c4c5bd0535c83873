package dev.kiln.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a URL into a partial file, resuming with a Range request when the partial file
 * already holds a prefix (a server that ignores the range gets the whole file again).
 */
final class HttpDownloader {

  private static final Logger LOG = LoggerFactory.getLogger(HttpDownloader.class);

  private final HttpClient client;

  HttpDownloader(HttpClient client) {
    this.client = client;
  }

  static HttpDownloader withDefaults() {
    return new HttpDownloader(HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(20))
        .build());
  }

  void download(URI uri, String bearerToken, Path partial) throws ModelFetchException {
    try {
      long have = Files.exists(partial) ? Files.size(partial) : 0;
      var request = HttpRequest.newBuilder(uri).GET().header("User-Agent", "kiln-runtime");
      if (bearerToken != null) {
        request.header("Authorization", "Bearer " + bearerToken);
      }
      if (have > 0) {
        request.header("Range", "bytes=" + have + "-");
      }
      HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      try (InputStream body = response.body()) {
        if (status == 416 && have > 0) {
          LOG.info("download of {}: the {} bytes already fetched are the whole file", uri, have);
          return;
        }
        if (status != 200 && status != 206) {
          throw new ModelFetchException("GET %s answered HTTP %d%s".formatted(uri, status,
              status == 401 || status == 403 ? ": check the source's credentials Secret" : ""));
        }
        boolean resumed = status == 206;
        LOG.info("downloading {}{}", uri, resumed ? " from byte " + have : "");
        try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
          body.transferTo(out);
        }
      }
    } catch (IOException e) {
      throw new ModelFetchException("download of " + uri + " broke off (" + e.getMessage()
          + "); the bytes received are kept and the next load resumes from them", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelFetchException("download of " + uri + " was interrupted", e);
    }
  }
}
