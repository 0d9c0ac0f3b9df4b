package io.ha4j.ipvs.ipvsadm;

import io.ha4j.api.ServiceKey;
import io.ha4j.api.table.ApplyResult;
import io.ha4j.api.table.TableException;
import io.ha4j.api.table.TableOp;
import io.ha4j.ipvs.IpvsClient;
import io.ha4j.ipvs.IpvsDestination;
import io.ha4j.ipvs.IpvsService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * ipvsadm's command line on ha4j's netlink client, for tools and tests (the examples' {@code ipvs}
 * command is a main around it): {@code list} ({@code -Ln}, {@code --stats},
 * {@code --rate}, {@code --exact}, {@code --timeout}, {@code --daemon}), {@code save} ({@code -Sn}),
 * {@code restore} ({@code -R} from standard input, applied as one pipelined batch), and ipvsadm's
 * add/edit/delete commands and flags; {@code --netns NAME} works on another network namespace.
 */
public final class Ipvsadm {

  /** Opens the client a command line works on. */
  @FunctionalInterface
  public interface Opener {
    /** A client of network namespace {@code netns} ({@code --netns}), or of this process's when null. */
    IpvsClient open(@Nullable String netns);
  }

  private final Opener opener;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param opener opens a client for a namespace name (null: this process's namespace)
   */
  public Ipvsadm(Opener opener, InputStream in, PrintStream out, PrintStream err) {
    this.opener = opener;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  /** Runs one command line; returns the exit status (0 ok, 1 kernel refused, 2 bad usage). */
  public int run(String... args) {
    IpvsadmCommand.Parsed parsed;
    try {
      parsed = IpvsadmCommand.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      err.println("ipvs: " + e.getMessage());
      return 2;
    }
    try (IpvsClient client = opener.open(parsed.netns())) {
      return execute(client, parsed.command());
    } catch (TableException e) {
      // ipvsadm's own words where it has them, then ours with errno and extended ack.
      String text = e.errno() != 0 ? IpvsadmMessages.of(parsed.command(), e.errno()) : null;
      if (text != null) {
        err.println(text);
      }
      err.println("ipvs: " + e.getMessage());
      return 1;
    } catch (UnsupportedOperationException e) {
      err.println("ipvs: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("ipvs: " + e);
      return 1;
    }
  }

  private int execute(IpvsClient client, IpvsadmCommand command) throws IOException {
    if (command instanceof IpvsadmCommand.ListTable l) {
      out.print(l.only() == null ? IpvsadmFormat.list(client.info(), entries(client, null), l.columns(), l.exact())
          : IpvsadmFormat.listWithoutVersion(entries(client, l.only()), l.columns(), l.exact()));
    } else if (command instanceof IpvsadmCommand.Save) {
      out.print(IpvsadmFormat.save(entries(client, null)));
    } else if (command instanceof IpvsadmCommand.Restore) {
      return restore(client);
    } else if (command instanceof IpvsadmCommand.ListTimeouts) {
      out.print(IpvsadmFormat.timeouts(client.timeouts()));
    } else if (command instanceof IpvsadmCommand.ListDaemons) {
      out.print(IpvsadmFormat.daemons(client.daemons()));
    } else if (command instanceof IpvsadmCommand.Flush) {
      client.flush();
    } else if (command instanceof IpvsadmCommand.Zero z) {
      ServiceKey key = z.key();
      if (key == null) {
        client.zero();
      } else {
        client.zero(key);
      }
    } else if (command instanceof IpvsadmCommand.SetTimeouts t) {
      client.setTimeouts(t.timeouts());
    } else if (command instanceof IpvsadmCommand.StartDaemon d) {
      client.startDaemon(d.daemon());
    } else if (command instanceof IpvsadmCommand.StopDaemon d) {
      client.stopDaemon(d.state());
    } else {
      TableOp op = op(command);
      if (op == null) {
        throw new IllegalStateException("unhandled command " + command);
      }
      client.apply(List.of(op)).orThrow();
    }
    return 0;
  }

  private static @Nullable TableOp op(IpvsadmCommand c) {
    if (c instanceof IpvsadmCommand.AddService a) {
      return new TableOp.AddService(a.service());
    } else if (c instanceof IpvsadmCommand.EditService e) {
      return new TableOp.UpdateService(e.service());
    } else if (c instanceof IpvsadmCommand.DeleteService d) {
      return new TableOp.DeleteService(d.key());
    } else if (c instanceof IpvsadmCommand.AddServer a) {
      return new TableOp.AddRealServer(a.key(), a.server());
    } else if (c instanceof IpvsadmCommand.EditServer e) {
      return new TableOp.UpdateRealServer(e.key(), e.server());
    } else if (c instanceof IpvsadmCommand.DeleteServer d) {
      return new TableOp.DeleteRealServer(d.key(), d.endpoint());
    }
    return null;
  }

  private int restore(IpvsClient client) throws IOException {
    List<TableOp> ops = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int n = 0;
    for (String line; (line = r.readLine()) != null; ) {
      n++;
      List<String> words = IpvsadmCommand.words(line);
      if (words.isEmpty() || words.get(0).startsWith("#")) {
        continue;
      }
      TableOp op;
      try {
        op = op(IpvsadmCommand.parse(words).command());
      } catch (IllegalArgumentException e) {
        err.println("ipvs: line " + n + ": " + e.getMessage());
        return 2;
      }
      if (op == null) {
        err.println("ipvs: line " + n + ": only -A -E -D -a -e -d can be restored");
        return 2;
      }
      ops.add(op);
      lines.add(n);
    }
    ApplyResult result = client.apply(ops);
    for (ApplyResult.Failure f : result.failures()) {
      err.println("ipvs: line " + lines.get(f.index()) + ": " + f.error().getMessage());
    }
    return result.ok() ? 0 : 1;
  }

  /** The services (or the one {@code only}) with their real servers, as {@code -L} and {@code -S} print them. */
  public static List<IpvsadmFormat.Entry> entries(IpvsClient client, @Nullable ServiceKey only) {
    List<IpvsadmFormat.Entry> entries = new ArrayList<>();
    List<IpvsService> services = only == null ? client.services() : List.of(client.service(only));
    for (IpvsService s : services) {
      List<IpvsDestination> dests = client.destinations(s.service().key());
      entries.add(new IpvsadmFormat.Entry(s, dests));
    }
    return entries;
  }
}
