package io.ha4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrnoTest {

  /** The ones ha4j's modules react to, as include/uapi/asm-generic/errno-base.h (1-34) and errno.h have them. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      EPERM         | 1   | Operation not permitted
      ENOENT        | 2   | No such file or directory
      ESRCH         | 3   | No such process
      EINTR         | 4   | Interrupted system call
      ENXIO         | 6   | No such device or address
      EBADF         | 9   | Bad file number
      EAGAIN        | 11  | Try again
      ENOMEM        | 12  | Out of memory
      EACCES        | 13  | Permission denied
      EBUSY         | 16  | Device or resource busy
      EEXIST        | 17  | File exists
      ENODEV        | 19  | No such device
      EINVAL        | 22  | Invalid argument
      ERANGE        | 34  | Math result not representable
      EMSGSIZE      | 90  | Message too long
      ENOPROTOOPT   | 92  | Protocol not available
      EOPNOTSUPP    | 95  | Operation not supported on transport endpoint
      EAFNOSUPPORT  | 97  | Address family not supported by protocol
      EADDRNOTAVAIL | 99  | Cannot assign requested address
      ENETDOWN      | 100 | Network is down
      ENOBUFS       | 105 | No buffer space available
      EHWPOISON     | 133 | Memory page has hardware error
      """)
  void numberAndTextAsTheAsmGenericHeaders(String name, int number, String text) {
    Errno e = Errno.valueOf(name);
    assertEquals(number, e.number());
    assertEquals(text, e.text());
    assertSame(e, Errno.of(number));
  }

  @Test
  void aliasesAreTheirTargetsAndGapsAreNone() {
    // errno.h: EWOULDBLOCK is EAGAIN, EDEADLOCK is EDEADLK; 41 and 58 are not assigned
    assertSame(Errno.EAGAIN, Errno.of(11));
    assertSame(Errno.EDEADLK, Errno.of(35));
    assertNull(Errno.of(41));
    assertNull(Errno.of(58));
    assertNull(Errno.of(0));
    assertNull(Errno.of(-17));
    assertNull(Errno.of(134));
  }

  @Test
  void describeNamesTheNumberOrSaysItIsUnknown() {
    assertEquals("errno 17, EEXIST (File exists)", Errno.describe(17));
    assertEquals("errno 200", Errno.describe(200));
    assertTrue(Errno.ENOBUFS.is(105));
    assertFalse(Errno.ENOBUFS.is(-105));
  }

  /** The whole table against this machine's asm-generic headers, both ways, where they are installed. */
  @Test
  void tableIsTheInstalledAsmGenericHeaders() throws IOException {
    Path base = Path.of("/usr/include/asm-generic/errno-base.h");
    Path rest = Path.of("/usr/include/asm-generic/errno.h");
    assumeTrue(Files.isReadable(base) && Files.isReadable(rest), "no kernel headers installed");
    Map<String, String> header = new LinkedHashMap<>();
    Pattern define = Pattern.compile("#define\\s+(E\\w+)\\s+(\\d+)\\s+/\\*\\s*(.*?)\\s*\\*/");
    for (Path p : new Path[] {base, rest}) {
      for (String line : Files.readAllLines(p)) {
        Matcher m = define.matcher(line);
        if (m.matches()) {
          header.put(m.group(1), m.group(2) + " " + m.group(3));
        }
      }
    }
    assertTrue(header.size() > 100, "parsed " + header.size() + " defines");
    for (Map.Entry<String, String> d : header.entrySet()) {
      Errno e = Errno.valueOf(d.getKey());
      assertEquals(d.getValue(), e.number() + " " + e.text(), d.getKey());
    }
    assertEquals(header.size(), Errno.values().length, "entries not in the headers");
  }
}
