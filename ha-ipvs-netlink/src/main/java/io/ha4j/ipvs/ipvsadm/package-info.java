/**
 * ipvsadm 1.31's command line and output on {@link io.ha4j.ipvs.IpvsClient}: {@link
 * io.ha4j.ipvs.ipvsadm.IpvsadmCommand} parses its flags (and {@code -S} save files),
 * {@link io.ha4j.ipvs.ipvsadm.IpvsadmFormat} prints {@code -Ln}, {@code -Sn} and their variants byte
 * for byte, {@link io.ha4j.ipvs.ipvsadm.Ipvsadm} runs a command line against a client.
 */
@NullMarked
package io.ha4j.ipvs.ipvsadm;

import org.jspecify.annotations.NullMarked;
