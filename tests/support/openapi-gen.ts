/**
 * Request values generated from the OpenAPI document's JSON Schemas (the subset the document uses:
 * $ref, enum/const, anyOf/oneOf, type lists, objects with required / dependentRequired / not-required /
 * minProperties / propertyNames, arrays, strings with length, pattern and format, bounded numbers).
 * `valid` never leaves the schema; `invalid` breaks exactly one rule. Strings that carry meaning (a
 * pattern, an email or uuid of a user who exists, an id) come from a pool of known samples that the
 * caller fills; each sample is used only where it satisfies the schema, and a pattern with no matching
 * sample fails loudly, so a new rule in the document needs a new sample rather than being skipped.
 */
type Schema = Record<string, any>;

/** A sample is a value, or a function for one that must be new each time (an Idempotency-Key). */
export type Sample = string | (() => string);
export type Samples = { email: Sample[]; uuid: Sample[]; patterned: Sample[] };

/** A seeded PRNG (mulberry32), so a failure can be replayed with the same seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof rng>;

// Characters as JSON Schema counts them: an emoji is one character (and two UTF-16 units).
const TEXT = [..."abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 -_.,:!?éüß中🙂🚀"];
const ASCII = TEXT.slice(0, 53);

export class Generator {
  constructor(
    private readonly doc: Schema,
    private readonly samples: Samples,
    private readonly r: Rng,
  ) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    while (s && typeof s.$ref === "string") {
      s = s.$ref
        .replace(/^#\//, "")
        .split("/")
        .reduce((node: any, key: string) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], this.doc);
      if (!s) throw new Error(`unresolved ${schema.$ref}`);
    }
    return s;
  }

  valid(input: Schema): unknown {
    const s = this.resolve(input);
    if ("const" in s) return s.const;
    if (Array.isArray(s.enum)) return this.r.pick(s.enum);
    if (s.anyOf || s.oneOf) return this.valid(this.r.pick(s.anyOf ?? s.oneOf));
    const type = Array.isArray(s.type) ? this.r.pick(s.type.filter((t: string) => t !== "null")) : s.type;
    switch (type) {
      case "object":
        return this.object(s);
      case "array": {
        const min = s.minItems ?? 0;
        const max = Math.min(s.maxItems ?? min + 3, min + 3);
        const items = Array.from({ length: this.r.int(min, max) }, () => this.valid(s.items ?? {}));
        if (!s.uniqueItems) return items;
        const unique = [...new Map(items.map((v) => [JSON.stringify(v), v])).values()];
        return unique.length >= min ? unique : this.valid(s);
      }
      case "string":
        return this.string(s);
      case "integer":
      case "number": {
        const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
        const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : min + 1000);
        return this.r.pick([min, max, this.r.int(min, Math.min(max, min + 1000))]);
      }
      case "boolean":
        return this.r.chance(0.5);
      case "null":
        return null;
      case undefined:
        return this.r.pick(["any", 7, true, { nested: [1, "two"] }]);
      default:
        throw new Error(`the generator does not know type ${JSON.stringify(type)}`);
    }
  }

  private object(s: Schema) {
    const props: Record<string, Schema> = s.properties ?? {};
    const required: string[] = s.required ?? [];
    const keys = new Set(required);
    for (const k of Object.keys(props)) if (this.r.chance(0.5)) keys.add(k);
    if (s.propertyNames || (s.additionalProperties && s.additionalProperties !== true && !s.properties)) {
      const names = this.resolve(s.propertyNames ?? { type: "string", minLength: 1, maxLength: 12 });
      const count = this.r.int(0, 3);
      for (let i = 0; i < count; i++) keys.add(String(Array.isArray(names.enum) ? this.r.pick(names.enum) : this.string(names)));
    }
    if (keys.size < (s.minProperties ?? 0)) for (const k of Object.keys(props)) if (keys.size < s.minProperties) keys.add(k);
    for (const [k, needs] of Object.entries<string[]>(s.dependentRequired ?? {})) if (keys.has(k)) needs.forEach((n) => keys.add(n));
    const forbidden: string[] | undefined = s.not?.required;
    if (forbidden?.every((k) => keys.has(k))) keys.delete(forbidden.find((k) => !required.includes(k))!);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = this.valid(props[k] ?? (typeof s.additionalProperties === "object" ? s.additionalProperties : {}));
    return out;
  }

  private string(s: Schema): string {
    const fits = (v: string) =>
      [...v].length >= (s.minLength ?? 0) && [...v].length <= (s.maxLength ?? Infinity) && (!s.pattern || new RegExp(s.pattern, "u").test(v));
    if (s.format === "date-time") return new Date(Date.now() + this.r.int(60, 86_400) * 1000).toISOString();
    const pool = s.format === "email" ? this.samples.email : s.format === "uuid" ? this.samples.uuid : s.pattern ? this.samples.patterned : null;
    if (pool) {
      const candidates = [...pool.map((v) => (typeof v === "function" ? v() : v)), ...(s.pattern ? [this.text(s, 1, 20), this.text(s, s.maxLength ?? 20, s.maxLength ?? 20)] : [])].filter(fits);
      if (!candidates.length) throw new Error(`no known sample fits ${JSON.stringify(s)}: add one to the samples`);
      return this.r.pick(candidates);
    }
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? 40;
    return this.text(s, this.r.pick([min, max, this.r.int(min, Math.min(max, min + 30))]), max);
  }

  /** Printable text of `length` characters starting with a letter; long ones are ASCII, to stay well inside body limits. */
  private text(_s: Schema, length: number, max: number) {
    const n = Math.max(0, Math.min(length, max));
    if (n === 0) return "";
    const chars = n > 300 ? ASCII : TEXT;
    let v = "t";
    for (let i = 1; i < n; i++) v += chars[Math.floor(this.r.next() * chars.length)];
    return v;
  }

  /** Values that break one rule of this (property's) schema, each with what it breaks. */
  violations(input: Schema): { why: string; value: unknown }[] {
    const s = this.resolve(input);
    if (s.anyOf || s.oneOf) {
      // A value of a JSON type no alternative has ({neither: true} would fit a free-form object).
      const types = new Set((s.anyOf ?? s.oneOf).map((b: Schema) => this.resolve(b).type));
      const value = [{ neither: true }, ["neither"], 12345, true].find((v) => !types.has(Array.isArray(v) ? "array" : typeof v === "number" ? "number" : typeof v));
      return [{ why: "matches no alternative", value: value ?? { neither: true } }];
    }
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    const out: { why: string; value: unknown }[] = [];
    if (Array.isArray(s.enum)) out.push({ why: "not in the enum", value: "not-an-option" });
    switch (type) {
      case "string":
        out.push({ why: "not a string", value: 42 });
        if (s.maxLength !== undefined) out.push({ why: "too long", value: "x".repeat(s.maxLength + 1) });
        if (s.minLength) out.push({ why: "too short", value: "" });
        if (s.pattern) {
          const wrong = ["", "   ", "//evil.example", "javascript:alert(1)", "not matching!", "99999999999999999"].find((v) => !new RegExp(s.pattern, "u").test(v));
          if (wrong !== undefined) out.push({ why: `does not match ${s.pattern}`, value: wrong });
        }
        if (s.format === "email") out.push({ why: "not an email", value: "not-an-email" });
        if (s.format === "uuid") out.push({ why: "not a uuid", value: "not-a-uuid" });
        if (s.format === "date-time") out.push({ why: "not a date-time", value: "tomorrow" });
        break;
      case "integer":
      case "number":
        out.push({ why: "not a number", value: "seven" });
        if (type === "integer") out.push({ why: "not an integer", value: (s.minimum ?? 0) + 1.5 });
        if (s.maximum !== undefined) out.push({ why: "above the maximum", value: s.maximum + 1 });
        if (s.minimum !== undefined) out.push({ why: "below the minimum", value: s.minimum - 1 });
        break;
      case "boolean":
        out.push({ why: "not a boolean", value: "yes" });
        break;
      case "array":
        out.push({ why: "not an array", value: "one" });
        if (s.minItems) out.push({ why: "too few items", value: [] });
        break;
      case "object":
        out.push({ why: "not an object", value: ["a list"] });
        break;
    }
    return out;
  }

  /** Whole bodies that break one object-level rule: a missing field, an unknown one, a dependency, an exclusion. */
  objectViolations(input: Schema, valid: Record<string, unknown>): { why: string; value: unknown; field?: true }[] {
    const s = this.resolve(input);
    const out: { why: string; value: unknown; field?: true }[] = [{ why: "not an object", value: [valid] }];
    for (const k of s.required ?? []) out.push({ why: `without required ${k}`, value: omit(valid, k) });
    if (s.additionalProperties === false) out.push({ why: "with an unknown field", value: { ...valid, notAField: 1 } });
    if (s.minProperties) out.push({ why: "empty", value: {} });
    for (const [k, needs] of Object.entries<string[]>(s.dependentRequired ?? {})) {
      const base = Object.fromEntries(Object.entries(valid).filter(([key]) => !needs.includes(key)));
      out.push({ why: `${k} without ${needs.join(", ")}`, value: { ...base, [k]: this.valid(s.properties[k]) } });
    }
    if (s.not?.required) {
      const both = Object.fromEntries(s.not.required.map((k: string) => [k, this.valid(s.properties[k])]));
      out.push({ why: `with all of ${s.not.required.join(", ")}`, value: { ...valid, ...both } });
    }
    for (const [k, p] of Object.entries<Schema>(s.properties ?? {})) {
      for (const v of this.violations(p)) out.push({ why: `${k} ${v.why}`, value: { ...valid, [k]: v.value }, field: true });
    }
    return out;
  }
}

function omit(o: Record<string, unknown>, key: string) {
  const { [key]: _gone, ...rest } = o;
  return rest;
}
