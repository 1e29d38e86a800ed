package dev.haredis.gadget;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Flags the gadgets raise, readable without initializing them.
 */
public final class GadgetFlags {

	/**
	 * Whether {@link StaticGadget}'s static initializer ran.
	 */
	public static final AtomicBoolean STATIC_GADGET_INITIALIZED = new AtomicBoolean();

	private GadgetFlags() {
	}

}
