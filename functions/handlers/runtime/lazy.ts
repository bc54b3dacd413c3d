/**
 * Builds a handler on its first invocation, so importing a handler module has no side effects
 * (the local runtime and tests import the factories without touching AWS).
 */
export function lazyHandler<E, C, R>(build: () => Promise<(event: E, context: C) => Promise<R>>) {
  let built: Promise<(event: E, context: C) => Promise<R>> | undefined;
  return async (event: E, context: C): Promise<R> => {
    built ??= build().catch((err) => {
      built = undefined; // a failed cold start must not poison the next invocation
      throw err;
    });
    return (await built)(event, context);
  };
}
