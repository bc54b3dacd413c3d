/**
 * Builds a handler on its first invocation, so importing a handler module has no side effects
 * (the local runtime and tests import the factories without touching AWS).
 *
 * Handler modules import their runtime/*-deps.ts statically and only call it lazily. An `import()`
 * would also defer loading, but inside a single-file bundle esbuild then wraps everything behind
 * it in lazy-init closures and stops tree-shaking it: each AWS client arrives whole, with every
 * command, paginator and waiter (≈ +75 KB for the signer, +100 KB for the API and extract).
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
