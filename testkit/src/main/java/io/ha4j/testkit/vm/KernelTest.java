package io.ha4j.testkit.vm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs a real ip_vs kernel and root (network namespaces).
 *
 * <p>Tagged {@code kernel}: plain {@code mvn verify} leaves it out, and {@code
 * testkit/vm/run-kernel-tests.sh} runs it inside the ip_vs VM. Where ip_vs is not usable the test
 * is skipped with the reason, unless it must run ({@code CI=true}, or {@code HA4J_KERNEL_VM=1}
 * inside the VM): then it fails, so a broken harness can never pass as a green run with nothing
 * tested. See {@link KernelPrerequisite}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Tag("kernel")
@ExtendWith(KernelPrerequisite.class)
public @interface KernelTest {}
