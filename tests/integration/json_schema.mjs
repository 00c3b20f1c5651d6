// A small JSON Schema checker for the tests: the subset docs/schemas uses
// (type, enum, required, properties, additionalProperties, items, minimum,
// maximum, pattern, oneOf, $ref within and across the schema files). No npm
// package: the integration tests need nothing but node.
import fs from 'node:fs';
import path from 'node:path';

const SCHEMA_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../docs/schemas');

function load(file) {
  return JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function resolve(ref, file) {
  const [target, pointer = ''] = ref.split('#');
  const doc = load(target || file);
  let node = doc;
  for (const part of pointer.split('/').filter(Boolean)) node = node[part];
  if (node === undefined) throw new Error(`unresolved $ref ${ref} in ${file}`);
  return { schema: node, file: target || file };
}

function check(value, schema, file, where, errors) {
  if (schema.$ref) {
    const r = resolve(schema.$ref, file);
    return check(value, r.schema, r.file, where, errors);
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((alt) => {
      const e = [];
      check(value, alt, file, where, e);
      return e.length === 0;
    }).length;
    if (matching !== 1) errors.push(`${where}: matches ${matching} of the oneOf alternatives, not one`);
    return;
  }
  const t = typeOf(value);
  if (schema.type) {
    const allowed = [].concat(schema.type);
    if (!allowed.includes(t) && !(t === 'integer' && allowed.includes('number'))) {
      errors.push(`${where}: expected ${allowed.join('|')}, got ${t}`);
      return;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${where}: ${JSON.stringify(value)} not in ${schema.enum}`);
  if ((t === 'number' || t === 'integer')) {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${where}: ${value} < ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${where}: ${value} > ${schema.maximum}`);
  }
  if (t === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value))
    errors.push(`${where}: '${value}' does not match ${schema.pattern}`);
  if (t === 'object') {
    for (const key of schema.required || [])
      if (!(key in value)) errors.push(`${where}: missing '${key}'`);
    for (const [key, v] of Object.entries(value)) {
      if (schema.properties && key in schema.properties) check(v, schema.properties[key], file, `${where}.${key}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${where}: unexpected '${key}'`);
      else if (typeof schema.additionalProperties === 'object')
        check(v, schema.additionalProperties, file, `${where}.${key}`, errors);
    }
  }
  if (t === 'array' && schema.items) value.forEach((v, i) => check(v, schema.items, file, `${where}[${i}]`, errors));
}

// The schema's violations by `value` ([] when it conforms).
export function schemaErrors(value, schemaFile) {
  const errors = [];
  check(value, load(schemaFile), schemaFile, '$', errors);
  return errors;
}
