/**
 * Running tests against a real Linux IPVS: {@link io.ha4j.testkit.vm.KernelTest} marks a test that
 * needs ip_vs, and {@link io.ha4j.testkit.vm.KernelPrerequisite} says why it cannot run here.
 * The project runs such tests inside a small VM booting a kernel with ip_vs
 * ({@code testkit/vm/run-kernel-tests.sh}).
 */
@NullMarked
package io.ha4j.testkit.vm;

import org.jspecify.annotations.NullMarked;
