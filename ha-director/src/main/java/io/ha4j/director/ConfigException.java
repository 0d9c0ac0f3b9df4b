package io.ha4j.director;

/**
 * A configuration file the director cannot use, with where the problem is: {@code
 * file:line:column: what is wrong (at 'token')}.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;
  private final String token;

  ConfigException(String file, int line, int column, String token, String problem) {
    super(file + ":" + line + ":" + column + ": " + problem + (token.isEmpty() ? "" : " (at '" + token + "')"));
    this.file = file;
    this.line = line;
    this.column = column;
    this.token = token;
  }

  ConfigException(String file, ConfigToken at, String problem) {
    this(file, at.line(), at.column(), at.shown(), problem);
  }

  /** The file name as given to the parser. */
  public String file() {
    return file;
  }

  /** 1-based line of the offending token. */
  public int line() {
    return line;
  }

  /** 1-based column of the offending token. */
  public int column() {
    return column;
  }

  /**
   * The offending token as written, or empty at the end of the file; a word of a key line ({@code
   * auth_pass}, {@code ha4j_key}) shows as {@code <secret>}: errors end up in logs.
   */
  public String token() {
    return token;
  }
}
