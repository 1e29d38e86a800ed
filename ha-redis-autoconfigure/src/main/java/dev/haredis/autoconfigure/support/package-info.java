/**
 * Pieces the auto-configurations share, such as the checks of property values.
 */
@NullMarked
package dev.haredis.autoconfigure.support;

import org.jspecify.annotations.NullMarked;
