package io.ha4j.api.member;

/**
 * Replicates connection state between directors so that established connections survive a
 * fail-over: the IPVS sync daemon. The master sends, the backups receive.
 */
public interface ConnectionSync {

  /** Run as the sending side (ipvsadm {@code --start-daemon master}); stop a backup daemon first. */
  void runAsMaster();

  /** Run as a receiving side (ipvsadm {@code --start-daemon backup}); stop a master daemon first. */
  void runAsBackup();

  /** Stop both daemons. */
  void stop();
}
