package dev.haredis.gadget;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands for a gadget: a class on the class path, outside the application's packages, that does something when it
 * is instantiated by a deserializer. Counts how often a deserializer ran its code.
 */
public class Gadget implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * How often a deserializer instantiated this class (its constructor for JSON, its readObject for Java).
	 */
	public static final AtomicInteger instantiated = new AtomicInteger();

	private String command = "";

	public Gadget() {
		instantiated.incrementAndGet();
	}

	public String getCommand() {
		return this.command;
	}

	public void setCommand(String command) {
		this.command = command;
	}

	@Serial
	private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
		instantiated.incrementAndGet();
		in.defaultReadObject();
	}

}
