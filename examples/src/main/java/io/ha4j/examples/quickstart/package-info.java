/** The README's quick start: a health-checked pool driving an IPVS table, with no root and no setup. */
@NullMarked
package io.ha4j.examples.quickstart;

import org.jspecify.annotations.NullMarked;
