package dev.kiln.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The usage ledger's rows of some requests, as the tests count them. */
public final class UsageRows {

  private UsageRows() {}

  /** How many of {@code ids} have a usage row; fails the test when one of them has two. */
  public static int of(Database database, List<String> ids) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement count = connection.prepareStatement(
            "SELECT count(*), count(DISTINCT request_id) FROM usage WHERE request_id = ANY (?)")) {
      count.setArray(1, connection.createArrayOf("text", ids.toArray()));
      try (ResultSet row = count.executeQuery()) {
        row.next();
        assertThat(row.getInt(1)).as("no request has two usage rows").isEqualTo(row.getInt(2));
        return row.getInt(1);
      }
    }
  }
}
