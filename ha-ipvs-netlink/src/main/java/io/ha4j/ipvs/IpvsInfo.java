package io.ha4j.ipvs;

/**
 * What {@code IPVS_CMD_GET_INFO} reports.
 *
 * @param version the IPVS version as {@code major << 16 | minor << 8 | patch}
 * @param connectionTableSize buckets of the connection hash table
 */
public record IpvsInfo(int version, int connectionTableSize) {

  /** The version as ipvsadm prints it, e.g. {@code 1.2.1}. */
  public String versionString() {
    return ((version >> 16) & 0xff) + "." + ((version >> 8) & 0xff) + "." + (version & 0xff);
  }
}
