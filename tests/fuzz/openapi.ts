// The operations of a service as its OpenAPI document states them, with references resolved.

export interface Schema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  default?: unknown;
  example?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** As in the document: `/actions/{id}/progress`. */
  path: string;
  /** `METHOD /path`, the operation's name in reports. */
  name: string;
  parameters: Parameter[];
  /** The request body's media type and schema, when it takes one. */
  body?: { mediaType: 'application/json' | 'multipart/form-data'; schema: Schema };
}

type Document = {
  paths: Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown }>>;
  components?: { schemas?: Record<string, unknown> };
};

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/**
 * A schema with `$ref` and `allOf` resolved. Nest documents `limit` as `allOf: [Object]` beside its
 * bounds, and a flag as `allOf: [Object]` with a boolean default: the bounds say a number, the
 * default a boolean, and the empty `Object` adds nothing.
 */
function resolve(document: Document, raw: unknown, seen = new Set<string>()): Schema {
  if (typeof raw !== 'object' || raw === null) return {};
  const { $ref, allOf, items, properties, ...rest } = raw as Record<string, unknown>;
  if (typeof $ref === 'string') {
    if (seen.has($ref)) return {};
    const name = $ref.replace('#/components/schemas/', '');
    return resolve(document, document.components?.schemas?.[name], new Set([...seen, $ref]));
  }
  let schema: Schema = { ...(rest as Schema) };
  if (Array.isArray(allOf)) {
    for (const part of allOf) {
      const resolved = resolve(document, part, seen);
      const empty = resolved.type === 'object' && Object.keys(resolved.properties ?? {}).length === 0;
      if (!empty) schema = { ...resolved, ...schema };
    }
    if (!schema.type && (schema.minimum !== undefined || schema.maximum !== undefined))
      schema.type = 'number';
    if (!schema.type && typeof schema.default === 'boolean') schema.type = 'boolean';
  }
  if (items) schema.items = resolve(document, items, seen);
  if (properties && typeof properties === 'object') {
    schema.properties = Object.fromEntries(
      Object.entries(properties).map(([name, value]) => [name, resolve(document, value, seen)]),
    );
  }
  return schema;
}

/** Every operation of the document, in its order. */
export function operationsOf(document: Document): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => {
        const parameters = (operation.parameters ?? []).flatMap((raw) => {
          const parameter = raw as { name: string; in: string; required?: boolean; schema?: unknown };
          if (!['path', 'query', 'header'].includes(parameter.in)) return [];
          return {
            name: parameter.name,
            in: parameter.in,
            required: parameter.required === true || parameter.in === 'path',
            schema: resolve(document, parameter.schema),
          } as Parameter;
        });
        const content = (operation.requestBody as { content?: Record<string, { schema?: unknown }> })
          ?.content;
        const mediaType = content && (Object.keys(content)[0] as 'application/json' | 'multipart/form-data');
        return {
          method: method.toUpperCase(),
          path,
          name: `${method.toUpperCase()} ${path}`,
          parameters,
          body: mediaType ? { mediaType, schema: resolve(document, content[mediaType].schema) } : undefined,
        };
      }),
  );
}
