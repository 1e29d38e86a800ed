/**
 * The purposes ha-redis builds a connection factory of its own for (cache, sessions, messaging, queue): their
 * shared properties, the registry of those built, and the startup check of their connection settings.
 */
@NullMarked
package dev.haredis.autoconfigure.purpose;

import org.jspecify.annotations.NullMarked;
