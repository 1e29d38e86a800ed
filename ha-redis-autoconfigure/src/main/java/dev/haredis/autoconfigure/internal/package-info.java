/**
 * Pieces the auto-configurations share, such as the checks of property values. Not an API: may change in any
 * release.
 */
@NullMarked
package dev.haredis.autoconfigure.internal;

import org.jspecify.annotations.NullMarked;
