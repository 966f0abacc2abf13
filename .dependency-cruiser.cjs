/**
 * Layer rules of DESIGN.md, checked by test/architecture.test.ts:
 *   core      imports nothing from the other folders and no node: module (it runs in browsers too)
 *   sim       imports core
 *   controller imports core and, for the emulated PLC only, sim
 *   viewer    imports core types and the feed schema, never Node modules
 */
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
      name: 'sim-imports-core-only',
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: '^(controller|viewer|bench|bin|test)/' },
    },
    {
      name: 'controller-no-viewer',
      severity: 'error',
      comment: 'controller/ imports core/ and, for the emulated PLC only, sim/',
      from: { path: '^controller/' },
      to: { path: '^(viewer|bench|bin|test)/' },
    },
    {
      name: 'controller-sim-only-from-emulator',
      severity: 'error',
      comment: 'only the emulated PLC (controller/emulator/) may import sim/',
      from: { path: '^controller/', pathNot: '^controller/emulator/' },
      to: { path: '^sim/' },
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
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
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
      extensionAlias: { '.js': ['.ts', '.js'] },
    },
  },
};
