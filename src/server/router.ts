/**
 * Routes as a typed table: method, path pattern with `{param}` segments, and a handler. Patterns
 * are compiled once into segment lists grouped by method and length, so matching a request is a
 * lookup plus a few string comparisons; literal segments win over parameters
 * (`/threads/runs` before `/threads/{thread_id}`).
 */

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteDefinition<Handler> {
  method: HttpMethod;
  /** Path below `/v1`, e.g. `/threads/{thread_id}/runs`. */
  path: string;
  /** Assistants endpoints need `OpenAI-Beta: assistants=v2`; files and vector stores never do. */
  beta: boolean;
  handler: Handler;
}

interface CompiledRoute<Handler> {
  route: RouteDefinition<Handler>;
  /** A literal segment, or null where the pattern names a parameter. */
  literals: Array<string | null>;
  names: Array<string | null>;
  literalCount: number;
}

export interface RouteMatch<Handler> {
  route: RouteDefinition<Handler>;
  params: Record<string, string>;
}

export class Router<Handler> {
  private readonly table = new Map<string, Array<CompiledRoute<Handler>>>();

  constructor(routes: ReadonlyArray<RouteDefinition<Handler>>) {
    for (const route of routes) {
      const segments = route.path.split('/').slice(1);
      const compiled: CompiledRoute<Handler> = {
        route,
        literals: segments.map((segment) => (segment.startsWith('{') ? null : segment)),
        names: segments.map((segment) => (segment.startsWith('{') ? segment.slice(1, -1) : null)),
        literalCount: segments.filter((segment) => !segment.startsWith('{')).length,
      };
      const key = `${route.method} ${segments.length}`;
      const bucket = this.table.get(key) ?? [];
      if (bucket.some((other) => other.route.path === route.path)) throw new Error(`Duplicate route ${key} ${route.path}`);
      bucket.push(compiled);
      bucket.sort((a, b) => b.literalCount - a.literalCount);
      this.table.set(key, bucket);
    }
  }

  /** `path` is below `/v1` and still percent-encoded; parameters come back decoded. */
  match(method: string, path: string): RouteMatch<Handler> | null {
    const segments = path.split('/').slice(1);
    const bucket = this.table.get(`${method} ${segments.length}`);
    if (!bucket) return null;
    for (const candidate of bucket) {
      let matched = true;
      for (let i = 0; i < segments.length; i++) {
        const literal = candidate.literals[i];
        const segment = segments[i]!;
        if (literal === null ? segment.length === 0 : literal !== segment) {
          matched = false;
          break;
        }
      }
      if (!matched) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const name = candidate.names[i];
        if (name) params[name] = safeDecode(segments[i]!);
      }
      return { route: candidate.route, params };
    }
    return null;
  }

  get routes(): Array<RouteDefinition<Handler>> {
    return [...this.table.values()].flat().map((compiled) => compiled.route);
  }
}

function safeDecode(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
