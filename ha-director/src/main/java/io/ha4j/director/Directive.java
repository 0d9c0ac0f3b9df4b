package io.ha4j.director;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One statement as a {@link KeywordTable} hands it to its keyword's handler: the words after the
 * keyword read as values against how many the keyword takes, and whether it may open a block;
 * every error points at the token concerned.
 *
 * @param statement the keyword, its words and its block
 * @param takesBlock whether the keyword may open a {@code { ... }} block
 * @param words the file's reader of values, errors and warnings
 */
record Directive(ConfigStatement statement, boolean takesBlock, ConfigWords words) {

  String name() {
    return statement.name();
  }

  ConfigToken keyword() {
    return statement.keyword();
  }

  /** Word {@code i} after the keyword. */
  ConfigToken arg(int i) {
    return statement.args().get(i);
  }

  /** The first word after the keyword, or the keyword when there is none: where an error about the value points. */
  ConfigToken valueOrKeyword() {
    return statement.args().isEmpty() ? statement.keyword() : statement.args().get(0);
  }

  /** The statements of its block, or null if it has none. */
  @Nullable List<ConfigStatement> body() {
    return statement.block();
  }

  /** The statements of its block, which must be there, after exactly {@code args} words. */
  List<ConfigStatement> block(int args) throws ConfigException {
    exactly(args);
    List<ConfigStatement> b = statement.block();
    if (b == null) {
      throw error(name() + " needs a { ... } block");
    }
    return b;
  }

  /** Exactly {@code n} words after the keyword, and no block unless the keyword takes one. */
  void exactly(int n) throws ConfigException {
    List<ConfigToken> args = statement.args();
    if (args.size() > n) {
      throw error(args.get(n), "unexpected word after " + name() + " (it takes " + n + ")");
    }
    if (args.size() < n) {
      throw error(name() + " needs " + n + (n == 1 ? " value" : " values"));
    }
    if (statement.block() != null && !takesBlock) {
      throw error(name() + " takes no { ... } block");
    }
  }

  void none() throws ConfigException {
    exactly(0);
  }

  /** The first word after the keyword, which must be there. */
  ConfigToken value() throws ConfigException {
    if (statement.args().isEmpty()) {
      throw error(name() + " needs a value");
    }
    return statement.args().get(0);
  }

  String word() throws ConfigException {
    exactly(1);
    return arg(0).text();
  }

  int integer(int min, int max) throws ConfigException {
    exactly(1);
    return words.integer(arg(0), min, max, name());
  }

  /** Seconds, fractions allowed down to nanoseconds, up to a year. */
  Duration seconds() throws ConfigException {
    exactly(1);
    ConfigToken t = arg(0);
    try {
      BigDecimal v = new BigDecimal(t.text());
      if (v.signum() >= 0 && v.compareTo(BigDecimal.valueOf(86_400L * 365)) <= 0) {
        return Duration.ofNanos(v.movePointRight(9).longValueExact());
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    throw error(t, name() + " must be a number of seconds (fractions allowed, down to nanoseconds)");
  }

  Duration positiveSeconds() throws ConfigException {
    Duration d = seconds();
    if (d.isZero()) {
      throw error(arg(0), name() + " must be more than 0 seconds");
    }
    return d;
  }

  InetAddress address() throws ConfigException {
    exactly(1);
    return words.address(arg(0));
  }

  ConfigException error(ConfigToken at, String problem) {
    return words.error(at, problem);
  }

  /** A problem of the statement as a whole: at its keyword. */
  ConfigException error(String problem) {
    return words.error(statement.keyword(), problem);
  }
}
