package io.ha4j.director;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns keepalived-style text into a tree of {@link ConfigStatement}s. Comments run from {@code #}
 * or {@code !} to the end of the line; words are separated by blanks; {@code "..."} quotes a word
 * with blanks (no escapes); {@code '{'} and {@code '}'} are words of their own even without blanks
 * around them. Blocks nest at most {@link #MAX_DEPTH} deep.
 */
final class ConfigReader {

  /**
   * Keywords whose words are key material: their tokens are {@linkplain ConfigToken#secret()
   * secret}, so no error shows them (errors end up in logs and tickets). All the words, the key id
   * too: a line written in the wrong order has the secret where the id should be.
   */
  static final Set<String> SECRET_KEYWORDS = Set.of("auth_pass", "ha4j_key");

  /**
   * Deepest nesting of blocks read: keepalived's deepest is 4 ({@code virtual_server > real_server
   * > HTTP_GET > url}); the bound keeps a hostile or broken file from exhausting the stack.
   */
  static final int MAX_DEPTH = 16;

  private final String file;
  private final List<ConfigToken> tokens;
  private int pos;

  private ConfigReader(String file, List<ConfigToken> tokens) {
    this.file = file;
    this.tokens = tokens;
  }

  /** Reads {@code text} (named {@code file} in errors) into its top-level statements. */
  static List<ConfigStatement> read(String file, String text) throws ConfigException {
    ConfigReader reader = new ConfigReader(file, tokenize(file, text));
    return reader.block(null, 0);
  }

  static List<ConfigToken> tokenize(String file, String text) throws ConfigException {
    List<ConfigToken> out = new ArrayList<>();
    int line = 1;
    int lineStart = 0;
    // Where the statement being read starts in out: a line, or a brace, begins a new one.
    int statement = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      boolean secret = out.size() > statement && SECRET_KEYWORDS.contains(out.get(statement).text());
      if (c == '\n') {
        line++;
        lineStart = i + 1;
        statement = out.size();
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#' || c == '!') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '{' || c == '}') {
        out.add(new ConfigToken(String.valueOf(c), line, i - lineStart + 1, false));
        statement = out.size();
        i++;
      } else if (c == '"') {
        int start = i;
        int end = text.indexOf('"', i + 1);
        int eol = text.indexOf('\n', i + 1);
        if (end < 0 || (eol >= 0 && eol < end)) {
          ConfigToken rest = new ConfigToken(text.substring(start, eol < 0 ? n : eol), line, start - lineStart + 1,
              false, secret);
          throw new ConfigException(file, rest, "quoted string is not closed on its line");
        }
        out.add(new ConfigToken(text.substring(start + 1, end), line, start - lineStart + 1, true, secret));
        i = end + 1;
      } else {
        int start = i;
        while (i < n) {
          char d = text.charAt(i);
          if (Character.isWhitespace(d) || d == '{' || d == '}' || d == '"' || d == '#' || d == '!') {
            break;
          }
          i++;
        }
        out.add(new ConfigToken(text.substring(start, i), line, start - lineStart + 1, false, secret));
      }
    }
    return out;
  }

  /**
   * Statements up to the '}' matching {@code open}, or to the end of the file when it is null;
   * {@code depth} blocks are open around them.
   */
  private List<ConfigStatement> block(@Nullable ConfigToken open, int depth) throws ConfigException {
    List<ConfigStatement> out = new ArrayList<>();
    while (pos < tokens.size()) {
      ConfigToken t = tokens.get(pos);
      if (t.isClose()) {
        if (open == null) {
          throw new ConfigException(file, t, "'}' without a block to close");
        }
        pos++;
        return out;
      }
      if (t.isOpen()) {
        throw new ConfigException(file, t, "'{' must follow a keyword");
      }
      pos++;
      List<ConfigToken> args = new ArrayList<>();
      while (pos < tokens.size() && tokens.get(pos).line() == t.line()
          && !tokens.get(pos).isOpen() && !tokens.get(pos).isClose()) {
        args.add(tokens.get(pos++));
      }
      List<ConfigStatement> children = null;
      if (pos < tokens.size() && tokens.get(pos).isOpen()) {
        ConfigToken brace = tokens.get(pos++);
        if (depth == MAX_DEPTH) {
          throw new ConfigException(file, brace, "blocks nest deeper than " + MAX_DEPTH + " levels");
        }
        children = block(brace, depth + 1);
      }
      out.add(new ConfigStatement(t, args, children));
    }
    if (open != null) {
      throw new ConfigException(file, open, "'{' is never closed");
    }
    return out;
  }
}
