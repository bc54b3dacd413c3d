/**
 * A queue message body that should hold one JSON object: the object, or undefined for anything
 * else (not JSON, null, an array, a scalar). For messages docuhook or AWS wrote, where a schema
 * library would be more weight than the check is worth.
 */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
