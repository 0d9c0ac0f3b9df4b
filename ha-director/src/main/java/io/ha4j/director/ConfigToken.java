package io.ha4j.director;

/**
 * One word, quoted string or brace of a configuration file, with where it starts.
 *
 * @param text the word as written (a quoted string without its quotes)
 * @param line 1-based line
 * @param column 1-based column of its first character
 * @param quoted whether it was written in double quotes (then it is never a brace)
 * @param secret whether it is a word of a key line ({@link ConfigReader#SECRET_KEYWORDS}): errors
 *     show {@link #SHOWN_SECRET} instead of its text
 */
record ConfigToken(String text, int line, int column, boolean quoted, boolean secret) {

  /** What an error shows for a secret word. */
  static final String SHOWN_SECRET = "<secret>";

  ConfigToken(String text, int line, int column, boolean quoted) {
    this(text, line, column, quoted, false);
  }

  boolean isOpen() {
    return !quoted && text.equals("{");
  }

  boolean isClose() {
    return !quoted && text.equals("}");
  }

  /** The word as an error may show it. */
  String shown() {
    return secret ? SHOWN_SECRET : text;
  }
}
