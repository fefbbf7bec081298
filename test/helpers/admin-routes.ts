// The routes the admin API serves, read from the express router itself: tests over "every route" cannot
// miss one added later.
import { DOC_ROUTES } from '../../src/admin/docs.routes.ts';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

export interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path` of every route below `stack`, express `:param` written as OpenAPI `{param}`. */
export function routesOf(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && METHODS.includes(m));
      return paths.flatMap((p) => methods.map((m) => `${m.toUpperCase()} ${p.replace(/:(\w+)/g, '{$1}')}`));
    }
    return layer.handle?.stack ? routesOf(layer.handle.stack) : [];
  });
}

/** The admin router is the one whose documentation router serves /openapi.yaml. */
function findAdminRouter(stack: Layer[]): Layer[] | undefined {
  for (const layer of stack) {
    const inner = layer.handle?.stack;
    if (!inner) continue;
    if (inner.some((l) => l.handle?.stack?.some((d) => d.route?.path === '/openapi.yaml'))) return inner;
    const found = findAdminRouter(inner);
    if (found) return found;
  }
  return undefined;
}

/** Every `METHOD /path` the admin API of `expressApp` serves (relative to /api/v1), but the OpenAPI document. */
export function adminRoutesOf(expressApp: unknown): string[] {
  const admin = findAdminRouter((expressApp as { router: { stack: Layer[] } }).router.stack);
  if (!admin) throw new Error('admin router not found');
  return routesOf(admin).filter((r) => !DOC_ROUTES.includes(r) && r !== 'GET /docs/assets/{file}');
}

export const HTTP_METHODS = METHODS;
