package io.ha4j.director;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keywords of one kind of block, each with its handler (keepalived's {@code install_keyword}
 * table for the block): reading a block hands each statement to its keyword's handler, in file
 * order, and rejects what the table does not know. A keyword whose statement may carry a {@code {
 * ... }} block is registered with {@link #block} or {@link #repeatedBlock}; its handler reads the
 * block, with the table of that block, or keeps it for the block's end.
 *
 * <p>Adding a keyword to a block is one entry here and its handler; adding a block is a table of
 * its own, read by the handler of the keyword that opens it.
 *
 * @param <B> what the block's handlers fill in
 */
final class KeywordTable<B> {

  /** Handles one statement of the block, filling in {@code block}. */
  @FunctionalInterface
  interface Handler<B> {
    void handle(B block, Directive statement) throws ConfigException;
  }

  private record Keyword<B>(Handler<B> handler, boolean repeats, boolean takesBlock) {}

  private final Map<String, Keyword<B>> keywords = new HashMap<>();
  private final Map<String, String> ignored = new HashMap<>();
  private final Map<String, String> refused = new HashMap<>();

  /** A keyword given at most once per block, without a block of its own. */
  KeywordTable<B> keyword(String name, Handler<B> handler) {
    return add(name, new Keyword<>(handler, false, false));
  }

  /** A keyword that may be given any number of times, without a block of its own. */
  KeywordTable<B> repeatedKeyword(String name, Handler<B> handler) {
    return add(name, new Keyword<>(handler, true, false));
  }

  /** A keyword given at most once per block, which may open a block. */
  KeywordTable<B> block(String name, Handler<B> handler) {
    return add(name, new Keyword<>(handler, false, true));
  }

  /** A keyword that may be given any number of times, each of which may open a block. */
  KeywordTable<B> repeatedBlock(String name, Handler<B> handler) {
    return add(name, new Keyword<>(handler, true, true));
  }

  /** keepalived keywords that are harmless without an ha4j equivalent: each is skipped with {@code name + why} as a warning. */
  KeywordTable<B> ignored(Set<String> names, String why) {
    for (String name : names) {
      known(name);
      ignored.put(name, why);
    }
    return this;
  }

  /** keepalived keywords ha4j does not read: an error rather than silently dropped. */
  KeywordTable<B> unsupported(String... names) {
    for (String name : names) {
      known(name);
      refused.put(name, name + " is not supported by the ha4j director");
    }
    return this;
  }

  private KeywordTable<B> add(String name, Keyword<B> keyword) {
    known(name);
    keywords.put(name, keyword);
    return this;
  }

  private void known(String name) {
    if (keywords.containsKey(name) || ignored.containsKey(name) || refused.containsKey(name)) {
      throw new IllegalStateException(name + " is in the table already");
    }
  }

  /** A new table with this one's entries, to extend. */
  KeywordTable<B> copy() {
    KeywordTable<B> c = new KeywordTable<>();
    c.keywords.putAll(keywords);
    c.ignored.putAll(ignored);
    c.refused.putAll(refused);
    return c;
  }

  /** Reads the block of {@code owner} (which takes {@code args} words) into {@code block}; unknown keywords are "in" the owner's name. */
  void read(Directive owner, int args, B block) throws ConfigException {
    read(owner.block(args), block, owner.name(), owner.words());
  }

  /**
   * Hands each of {@code statements} to its keyword's handler. A keyword given at most once is an
   * error the second time (keepalived would silently take the last).
   *
   * @param where the block, as unknown keywords are reported ("unknown keyword in WHERE")
   */
  void read(List<ConfigStatement> statements, B block, String where, ConfigWords words) throws ConfigException {
    Map<String, ConfigToken> seen = new HashMap<>();
    for (ConfigStatement s : statements) {
      Keyword<B> k = keywords.get(s.name());
      if (k == null) {
        String why = ignored.get(s.name());
        if (why != null) {
          words.warn(s.keyword(), s.name() + why);
          continue;
        }
        String refusal = refused.get(s.name());
        throw words.error(s.keyword(), refusal != null ? refusal : "unknown keyword in " + where);
      }
      if (!k.repeats()) {
        ConfigToken earlier = seen.putIfAbsent(s.name(), s.keyword());
        if (earlier != null) {
          throw words.error(s.keyword(), s.name() + " is given twice (first at line " + earlier.line() + ")");
        }
      }
      k.handler().handle(block, new Directive(s, k.takesBlock(), words));
    }
  }
}
