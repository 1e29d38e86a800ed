package dev.haredis.sample;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.haredis.queue.TaskContext;
import dev.haredis.queue.TaskListener;
import dev.haredis.queue.TaskQueueOperations;
import dev.haredis.queue.TaskResult;

/**
 * A task queue round trip: {@code POST /tasks/welcome?user=alice} enqueues a task and answers its id,
 * {@code GET /tasks/{id}} shows its state and result, which a worker of this application produces.
 * <p>
 * <b>Demo only.</b> It enqueues a task (and keeps its result for an hour) for every call. Anyone who can reach the
 * port can call it: a real application puts its write endpoints behind authentication (Spring Security) and limits
 * what they accept (size, rate).
 */
@RestController
class WelcomeTasks {

	private final TaskQueueOperations tasks;

	private final boolean durable;

	WelcomeTasks(TaskQueueOperations tasks, @Value("${sample.tasks.durable:false}") boolean durable) {
		this.tasks = tasks;
		this.durable = durable;
	}

	// Demo write endpoint: unauthenticated, see the class comment.
	@PostMapping("/tasks/welcome")
	Map<String, String> enqueue(@RequestParam String user) {
		Welcome welcome = new Welcome(user);
		return Map.of("id", this.durable ? this.tasks.enqueueDurably("welcome", welcome)
				: this.tasks.enqueue("welcome", welcome));
	}

	@GetMapping("/tasks/{id}")
	ResponseEntity<Map<String, Object>> result(@PathVariable String id) {
		TaskResult result = this.tasks.result(id);
		String value = this.tasks.value(result, String.class);
		return ResponseEntity.ok((value != null) ? Map.of("state", result.state(), "result", value)
				: Map.of("state", result.state()));
	}

	@TaskListener(queue = "welcome")
	String welcome(Welcome welcome, TaskContext context) {
		return "Welcome, " + welcome.user() + " (task " + context.taskId() + ", attempt " + context.attempt() + ")";
	}

	/**
	 * The task's payload.
	 *
	 * @param user who to welcome
	 */
	record Welcome(String user) {

	}

}
