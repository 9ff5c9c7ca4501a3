// The ajv options for our schemas, shared by run-time compilation and scripts/compile-schemas.mjs.
// coerceTypes: true mirrors Packer's decoding of strings ("30" → 30, "true" → true); a single value
// where a list is expected is wrapped by wrapScalars (schema-validate.ts), never the other way round.
export const AJV_OPTIONS = { allErrors: true, coerceTypes: true, strict: false } as const;
