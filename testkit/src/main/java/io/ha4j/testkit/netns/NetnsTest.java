package io.ha4j.testkit.netns;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that builds network namespaces: tags it {@code netns} and checks, before any
 * test runs, that this is Linux with root privileges and iproute2. Otherwise the tests are skipped
 * with the reason, or fail when {@code CI=true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("netns")
@ExtendWith(NetnsPrerequisite.class)
public @interface NetnsTest {}
