/**
 * Layer rules of DESIGN.md, without exceptions; checked by test/architecture.test.ts and from the
 * command line (`npm run layers`, or `npx depcruise --config .dependency-cruiser.cjs core sim ...`):
 *
 *   core        pure: imports no other Sortline folder, no node: module and no I/O package
 *   sim         imports core only
 *   controller  imports core only (never sim)
 *   viewer      imports core types and the feed schema, never Node modules
 *   bin         the composition root: may import every layer
 *
 * and what the folders promise:
 *   - a folder inside a layer (core/plan, controller/journal, ...) is imported from outside only
 *     through its index.ts;
 *   - controller: transport ← session ← service (a transport knows no session or service, the
 *     session hosting knows no service, the service reaches the PLC only through a session);
 *   - no import cycles.
 * Each rule has a fixture under test/fixtures/layers-bad/ that breaks it.
 */
/** Packages that do I/O or need Node: never in core/. */
const IO_PACKAGES =
  '^(pino|ws|serialport|@serialport|better-sqlite3|fastify|@fastify|piscina|commander|cli-progress|prom-client)(/|$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core/ imports no other Sortline folder',
      from: { path: '^core/' },
      to: { path: '^(sim|controller|viewer|bench|bin|test)/' },
    },
    {
      name: 'core-no-node',
      severity: 'error',
      comment: 'core/ imports no node: built-in module (it must run in a browser)',
      from: { path: '^core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-io-packages',
      severity: 'error',
      comment:
        'core/ imports no package that does I/O or needs Node (logging, sockets, SQLite ...)',
      from: { path: '^core/' },
      to: { path: `node_modules/${IO_PACKAGES.slice(1)}` },
    },
    {
      name: 'sim-imports-core-only',
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: '^(controller|viewer|bench|bin|test)/' },
    },
    {
      name: 'controller-imports-core-only',
      severity: 'error',
      comment: 'controller/ imports core/ only: the emulated PLC is wired to it in bin/',
      from: { path: '^controller/' },
      to: { path: '^(sim|viewer|bench|bin|test)/' },
    },
    {
      name: 'viewer-browser-only',
      severity: 'error',
      from: { path: '^viewer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'viewer-no-server-layers',
      severity: 'error',
      from: { path: '^viewer/' },
      to: { path: '^(sim|controller|bench|bin)/' },
    },
    {
      name: 'folder-through-index',
      severity: 'error',
      comment: 'a folder of a layer is imported from another folder only through its index.ts',
      from: { path: '^((core|sim|controller|viewer)/[^/]+)/' },
      to: {
        path: '^(core|sim|controller|viewer)/[^/]+/',
        pathNot: ['^$1/', '^(core|sim|controller|viewer)/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'folder-through-index-from-outside',
      severity: 'error',
      comment:
        'a folder of a layer is imported from a layer root file, bin/ or bench/ only through its index.ts',
      from: { pathNot: '^(core|sim|controller|viewer)/[^/]+/' },
      to: {
        path: '^(core|sim|controller|viewer)/[^/]+/',
        pathNot: '^(core|sim|controller|viewer)/[^/]+/index\\.ts$',
      },
    },
    {
      name: 'transport-knows-no-session',
      severity: 'error',
      comment:
        'controller/transport/ carries bytes: it imports no session hosting, service, journal or config',
      from: { path: '^controller/transport/' },
      to: { path: '^controller/(?!transport/)' },
    },
    {
      name: 'session-knows-no-service',
      severity: 'error',
      comment:
        'controller/session/ hosts sessions over transports: it imports no service, journal or config',
      from: { path: '^controller/session/' },
      to: { path: '^controller/(service|journal|config)/' },
    },
    {
      name: 'service-through-session',
      severity: 'error',
      comment: 'controller/service/ reaches the PLC through a session, never a transport',
      from: { path: '^controller/service/' },
      to: { path: '^controller/(transport|session)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      // a cycle closed only by `import type` (erased at compile time) is not a load-order cycle
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
