/**
 * The hooks a member calls with its role: the connection sync daemon ({@link
 * io.ha4j.api.member.ConnectionSync}), a warm standby's application ({@link
 * io.ha4j.api.member.ApplicationControl}) and a cold standby's spare ({@link
 * io.ha4j.api.member.SpareActivation}). The member itself is in {@code ha-core} ({@code
 * io.ha4j.core.member}).
 */
@NullMarked
package io.ha4j.api.member;

import org.jspecify.annotations.NullMarked;
