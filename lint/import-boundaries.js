/**
 * ESLint rule `architecture/import-boundaries`: a relative import that points up the architecture
 * table (architecture.js), behind a room's index, or up the environment's rooms is an error that
 * names the arrow and what to do instead. Resolves specifiers itself: the table is about folders,
 * and every import of ours is relative.
 */
import path from 'node:path';
import {
  ENVIRONMENT_ROOMS,
  EVERYONE_IMPORTS,
  NOBODY_IMPORTS,
  PARTS,
  ROOMS,
  SOURCE_ROOT,
  TOP_LEVEL_FILES,
} from './architecture.js';

/** The part a repository-relative path belongs to, or undefined outside operator/src and sandbox-runtime. */
export function partOf(rel) {
  if (rel.startsWith('sandbox-runtime/')) return 'sandbox-runtime';
  if (!rel.startsWith(`${SOURCE_ROOT}/`)) return undefined;
  const [first, ...rest] = rel.slice(SOURCE_ROOT.length + 1).split('/');
  if (rest.length === 0) return TOP_LEVEL_FILES[first.replace(/\.js$/, '.ts')] ?? 'start';
  return first;
}

const inside = (rel, dir) => rel.startsWith(`${dir}/`);
const isTest = (rel) => /\.test\.ts$/.test(rel);

/** Why importing `target` from `from` (both repository-relative, .ts) breaks the architecture, or undefined. */
export function violation(from, target) {
  const source = partOf(from);
  const part = partOf(target);
  if (source && part && source !== part && !isTest(from)) {
    const allowed = PARTS[source]?.imports ?? [];
    // Start-up is the top: it alone imports the parts nobody else may.
    const ok =
      source === 'start' ||
      (source !== 'sandbox-runtime' && EVERYONE_IMPORTS.includes(part)) ||
      (!NOBODY_IMPORTS.includes(part) && (allowed.includes('*') || allowed.includes(part)));
    if (!ok) {
      return `${source} may not import ${part} (docs/architecture.md, lint/architecture.js): ${source} may import ${allowed.join(', ') || 'nothing of ours'}. Pass what it needs in through an interface ${source} defines, or move the code to the part that owns it.`;
    }
  }
  for (const room of ROOMS) {
    if (inside(from, room)) {
      if (target === `${room}/index.ts`) {
        return `${from} imports its own room's index (${room}/index.ts); import the file behind it directly.`;
      }
      continue;
    }
    if (inside(target, room) && target !== `${room}/index.ts`) {
      // Only the outermost room the importer is not in counts: its index is the surface.
      if (ROOMS.some((outer) => outer !== room && inside(room, outer) && !inside(from, outer))) continue;
      return `${target} is behind the room ${room}; import ${room}/index.ts (export what you need there).`;
    }
  }
  return environmentRoomViolation(from, target);
}

function environmentRoomViolation(from, target) {
  const { root, order, shared } = ENVIRONMENT_ROOMS;
  if (!inside(from, root) || !inside(target, root)) return undefined;
  const roomOf = (rel) => {
    const first = rel.slice(root.length + 1).split('/')[0];
    return order.includes(first) ? first : undefined;
  };
  const fromRoom = roomOf(from);
  if (!fromRoom) return undefined;
  const targetRoom = roomOf(target);
  if (targetRoom === fromRoom) return undefined;
  if (targetRoom === undefined) {
    if (shared.includes(target.slice(root.length + 1))) return undefined;
    return `environment/${fromRoom} may not import the lifecycle above it (${target}); define the interface it needs in ${fromRoom} and let the lifecycle pass it in.`;
  }
  if (order.indexOf(targetRoom) < order.indexOf(fromRoom)) {
    return `environment/${fromRoom} may not import environment/${targetRoom}: the rooms import downward only (${order.join(' -> ')}).`;
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the architecture table and enter rooms through their index' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, required: ['root'] }],
  },
  create(context) {
    const root = context.options[0].root;
    const from = path.relative(root, context.filename).split(path.sep).join('/');
    const check = (node) => {
      const spec = node?.type === 'Literal' ? node.value : undefined;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const abs = path.resolve(path.dirname(context.filename), spec);
      const target = path.relative(root, abs).split(path.sep).join('/').replace(/\.js$/, '.ts');
      const why = violation(from, target);
      if (why) context.report({ node, message: why });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default { rules: { 'import-boundaries': importBoundaries } };
