// A tiny event bus between the dashboard's panels.
const target = new EventTarget();

export function on(type, fn) {
  const listener = (e) => fn(e.detail);
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
}

export function emit(type, detail) {
  target.dispatchEvent(new CustomEvent(type, { detail }));
}
