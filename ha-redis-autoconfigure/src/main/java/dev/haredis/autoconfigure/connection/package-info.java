/**
 * Auto-configuration of the sentinel-backed connection: properties, connection details and the connection factory.
 */
@NullMarked
package dev.haredis.autoconfigure.connection;

import org.jspecify.annotations.NullMarked;
