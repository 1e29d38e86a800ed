package dev.haredis.queue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of a queue's tasks. The method takes the payload (read from JSON as the
 * parameter's type) and, optionally, a {@link TaskContext}; what it returns is stored as the task's result.
 *
 * <pre class="code">
 * &#64;TaskListener(queue = "emails")
 * void send(Email email, TaskContext context) { ... }
 * </pre>
 *
 * @see TaskHandler
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskListener {

	/**
	 * The queue whose tasks the method runs.
	 * @return the queue name
	 */
	String queue();

}
