/** Message attributes <-> the JSON stored in SQLite (binary values as base64). */
import type { MessageAttributes } from './types.ts';

interface StoredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export function encodeAttributes(attributes: MessageAttributes | undefined): string | null {
  if (attributes === undefined || Object.keys(attributes).length === 0) return null;
  const stored: Record<string, StoredAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    stored[name] = value.DataType.startsWith('Binary')
      ? { DataType: value.DataType, BinaryValue: Buffer.from(value.BinaryValue!).toString('base64') }
      : { DataType: value.DataType, StringValue: value.StringValue! };
  }
  return JSON.stringify(stored);
}

export function decodeAttributes(json: string | null): MessageAttributes {
  if (json === null) return {};
  const stored = JSON.parse(json) as Record<string, StoredAttribute>;
  const attributes: MessageAttributes = {};
  for (const [name, value] of Object.entries(stored)) {
    attributes[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: new Uint8Array(Buffer.from(value.BinaryValue, 'base64')) }
        : { DataType: value.DataType, StringValue: value.StringValue! };
  }
  return attributes;
}
