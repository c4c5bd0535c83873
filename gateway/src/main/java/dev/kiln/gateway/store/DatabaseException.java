package dev.kiln.gateway.store;

import java.sql.SQLException;

/** A statement failed: the database could not be reached, or refused it. */
public final class DatabaseException extends RuntimeException {

  public DatabaseException(SQLException cause) {
    super("database: " + cause.getMessage(), cause);
  }
}
