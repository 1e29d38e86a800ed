/**
 * Small pieces the other packages share.
 */
@NullMarked
package dev.haredis.support;

import org.jspecify.annotations.NullMarked;
