package io.ha4j.director;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A keyword with the words after it on the same line and, if a {@code '{'} follows, the
 * statements of its block (keepalived's grammar: one statement per line, blocks in braces).
 */
record ConfigStatement(ConfigToken keyword, List<ConfigToken> args, @Nullable List<ConfigStatement> block) {

  ConfigStatement {
    args = List.copyOf(args);
    block = block == null ? null : List.copyOf(block);
  }

  String name() {
    return keyword.text();
  }
}
