// SPDX-License-Identifier: Apache-2.0
/*
 * A preload library that starts a thread in its constructor, as some
 * instrumentation libraries do. Preloaded together with the shim, it gives
 * the shim a process with more than one thread to sandbox.
 */
#include <pthread.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

__attribute__((constructor)) static void start_thread(void)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, sleeper, NULL) == 0)
		pthread_detach(thread);
}
