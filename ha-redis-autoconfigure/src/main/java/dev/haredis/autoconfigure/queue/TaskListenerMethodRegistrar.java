package dev.haredis.autoconfigure.queue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

import dev.haredis.queue.TaskContext;
import dev.haredis.queue.TaskHandlers;
import dev.haredis.queue.TaskListener;

/**
 * Registers the {@link TaskListener} methods of the application's beans with {@link TaskHandlers}.
 */
class TaskListenerMethodRegistrar implements BeanPostProcessor {

	private final Supplier<TaskHandlers> handlers;

	/**
	 * Create a new instance.
	 * @param handlers where to register the methods, looked up on the first one
	 */
	TaskListenerMethodRegistrar(Supplier<TaskHandlers> handlers) {
		this.handlers = handlers;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = AopUtils.getTargetClass(bean);
		Map<Method, TaskListener> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<TaskListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, TaskListener.class));
		methods.forEach((method, listener) -> register(bean, beanName, AopUtils.selectInvocableMethod(method, bean.getClass()),
				listener));
		return bean;
	}

	private void register(Object bean, String beanName, Method method, TaskListener listener) {
		Class<?>[] parameters = method.getParameterTypes();
		boolean withContext = parameters.length == 2 && parameters[1] == TaskContext.class;
		if (parameters.length != 1 && !withContext) {
			throw new IllegalStateException("@TaskListener method " + beanName + "." + method.getName()
					+ " must take the payload and, optionally, a TaskContext");
		}
		Type payloadType = method.getGenericParameterTypes()[0];
		ReflectionUtils.makeAccessible(method);
		this.handlers.get().registerGeneric(listener.queue(), payloadType, (payload, context) -> {
			try {
				return withContext ? method.invoke(bean, payload, context) : method.invoke(bean, payload);
			}
			catch (InvocationTargetException ex) {
				Throwable cause = ex.getTargetException();
				if (cause instanceof Exception exception) {
					throw exception;
				}
				throw (Error) cause;
			}
		});
	}

}
