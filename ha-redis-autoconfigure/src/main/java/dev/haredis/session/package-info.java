/**
 * Spring Session on Redis across failovers.
 */
@NullMarked
package dev.haredis.session;

import org.jspecify.annotations.NullMarked;
