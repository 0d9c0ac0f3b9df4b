/**
 * The election's parts that embedders do not call: candidate node names, the leader choice, the
 * stall detector and tracked weights.
 */
@NullMarked
package io.ha4j.zookeeper.internal;

import org.jspecify.annotations.NullMarked;
