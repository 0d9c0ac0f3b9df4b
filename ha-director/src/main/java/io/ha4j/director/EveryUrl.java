package io.ha4j.director;

import io.ha4j.api.health.CheckContext;
import io.ha4j.api.health.CheckResult;
import io.ha4j.api.health.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@code HTTP_GET} / {@code SSL_GET} with several {@code url} blocks: up only when every url
 * passes, as keepalived judges it. The urls are fetched at once, each on a connection of its own,
 * so that the attempt keeps to one {@code connect_timeout} instead of one per url; the first failing
 * url (in file order) gives the detail.
 *
 * @param urls the checks of the urls, in file order, two or more
 */
record EveryUrl(List<HealthCheck> urls) implements HealthCheck {

  EveryUrl {
    urls = List.copyOf(urls);
    if (urls.size() < 2) {
      throw new IllegalArgumentException("EveryUrl needs two urls or more, had " + urls.size());
    }
  }

  @Override
  public CompletionStage<CheckResult> run(CheckContext context) {
    List<CompletableFuture<CheckResult>> started = new ArrayList<>();
    for (HealthCheck u : urls) {
      started.add(u.run(context).toCompletableFuture());
    }
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<String> details = new ArrayList<>();
      for (CompletableFuture<CheckResult> f : started) {
        CheckResult r = f.join();
        if (!r.up()) {
          return r;
        }
        details.add(r.detail());
      }
      return CheckResult.up(String.join("; ", details));
    });
  }
}
