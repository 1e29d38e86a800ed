package dev.haredis.gadget;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands for a gadget whose static initializer does the harm: it must not even be initialized. Only
 * {@code TrustedJsonTests} names it.
 */
public class StaticGadget implements Serializable {

	/**
	 * Whether the class was initialized (its static initializer ran).
	 */
	public static final AtomicBoolean INITIALIZED = GadgetFlags.STATIC_GADGET_INITIALIZED;

	static {
		GadgetFlags.STATIC_GADGET_INITIALIZED.set(true);
	}

}
