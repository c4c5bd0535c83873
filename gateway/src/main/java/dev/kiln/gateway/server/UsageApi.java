package dev.kiln.gateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kiln.gateway.store.HourlyUsage;
import dev.kiln.gateway.store.UsageReport;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The usage export on the ops listener, for billing: {@code GET /usage?from=...&to=...&format=json|csv} sums the
 * usage ledger per UTC hour, key and model. {@code from} and {@code to} are RFC 3339 instants; by default the 24 hours
 * up to the end of the current one; at most 31 days at once.
 */
final class UsageApi {

  private static final Duration LONGEST = Duration.ofDays(31);
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final CsvMapper CSV = (CsvMapper) new CsvMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Optional<UsageReport> report;
  private final Clock clock;

  UsageApi(Optional<UsageReport> report, Clock clock) {
    this.report = report;
    this.clock = clock;
  }

  void serve(ServerRequest request, ServerResponse response) {
    if (report.isEmpty()) {
      text(response, Status.NOT_IMPLEMENTED_501, "the usage export needs the usage ledger: set "
          + "KILN_GATEWAY_DATABASE_URL to a PostgreSQL database (without one, usage is in the kiln_ metrics only)\n");
      return;
    }
    Instant to;
    Instant from;
    String format = request.query().first("format").orElse("json");
    try {
      to = request.query().first("to").map(Instant::parse)
          .orElse(clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)));
      from = request.query().first("from").map(Instant::parse).orElse(to.minus(Duration.ofDays(1)));
    } catch (DateTimeParseException e) {
      text(response, Status.BAD_REQUEST_400, "from and to must be RFC 3339 instants such as 2026-11-01T00:00:00Z: "
          + e.getMessage() + "\n");
      return;
    }
    if (!from.isBefore(to) || Duration.between(from, to).compareTo(LONGEST) > 0) {
      text(response, Status.BAD_REQUEST_400, "from must come before to, at most 31 days before it\n");
      return;
    }
    if (!format.equals("json") && !format.equals("csv")) {
      text(response, Status.BAD_REQUEST_400, "format must be json or csv, got '" + format + "'\n");
      return;
    }
    List<HourlyUsage> hours = report.get().hourly(from, to);
    try {
      if (format.equals("csv")) {
        CsvSchema schema = CSV.schemaFor(HourlyUsage.class).withHeader();
        response.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8")
            .send(CSV.writer(schema).writeValueAsBytes(hours));
      } else {
        response.header(HeaderNames.CONTENT_TYPE, "application/json")
            .send(JSON.writeValueAsBytes(Map.of("from", from.toString(), "to", to.toString(), "hours", hours)));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the usage export", e);
    }
  }

  private static void text(ServerResponse response, Status status, String message) {
    response.status(status).header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8").send(message);
  }
}
