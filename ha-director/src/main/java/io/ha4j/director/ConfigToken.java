package io.ha4j.director;

/**
 * One word, quoted string or brace of a configuration file, with where it starts.
 *
 * @param text the word as written (a quoted string without its quotes)
 * @param line 1-based line
 * @param column 1-based column of its first character
 * @param quoted whether it was written in double quotes (then it is never a brace)
 */
record ConfigToken(String text, int line, int column, boolean quoted) {

  boolean isOpen() {
    return !quoted && text.equals("{");
  }

  boolean isClose() {
    return !quoted && text.equals("}");
  }
}
