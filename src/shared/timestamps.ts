// Timestamps as they come back: Date from an entity, string from a raw row.
export type Timestamp = Date | string;

export const toIso = (value: Timestamp) => (value instanceof Date ? value : new Date(value)).toISOString();
